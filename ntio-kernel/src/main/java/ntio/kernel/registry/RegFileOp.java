package ntio.kernel.registry;

import ntio.ddk.RegValue;
import java.util.List;

/**
 * One step of a parsed {@code .reg} file, with the 1-based line it came from. The key path is the
 * list of components below {@code \REGISTRY}, the first being {@code MACHINE} or {@code USER}.
 */
sealed interface RegFileOp {

  /** The line the step came from. */
  int line();

  /** {@code [KEY]}: open the key, creating what is missing; later values go to it. */
  record OpenKey(int line, List<String> path) implements RegFileOp {}

  /** {@code [-KEY]}: delete the key and its subtree if it exists. */
  record DeleteKey(int line, List<String> path) implements RegFileOp {}

  /** {@code "Name"=data}: set the value on the current key. */
  record SetValue(int line, RegValue value) implements RegFileOp {}

  /** {@code "Name"=-}: delete the value from the current key if it exists. */
  record DeleteValue(int line, String name) implements RegFileOp {}
}
