package ntio.kernel.loader.denied;

import java.util.List;
import java.util.function.Supplier;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * Uses what javac emits invokedynamic and method handles for — lambdas, method references, string
 * concatenation, records, enum switches — and Class.forName on its own class: nothing denied.
 */
public class CleanModernDriver implements DriverEntry {

  record Pair(String left, int right) {}

  enum Mode { READ, WRITE }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    Supplier<String> name = registryPath::toString;
    Pair pair = new Pair("x" + name.get().length(), List.of(1, 2).stream().mapToInt(i -> i).sum());
    int code = switch (Mode.valueOf("READ")) {
      case READ -> pair.right();
      case WRITE -> 0;
    };
    try {
      Class.forName(CleanModernDriver.class.getName());
    } catch (ClassNotFoundException e) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    return code == 3 && pair.equals(new Pair(pair.left(), 3))
        ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL;
  }
}
