package ntio.kernel.process;

import java.util.Objects;
import ntio.ddk.ProcessorMode;
import ntio.kernel.objects.Caller;
import ntio.kernel.objects.HandleTable;
import ntio.kernel.security.Token;

/**
 * The calling context of a system call: the process it acts for and its previous mode. Models the
 * parts of {@code ETHREAD} a system service reads ({@code PsGetCurrentProcess},
 * {@code ExGetPreviousMode}) (partial). It is passed explicitly to every call instead of being
 * read from the current thread, so a test or the host can act for any process in any mode.
 *
 * @param process the process the call acts for
 * @param previousMode where the call came from
 */
public record KThread(KProcess process, ProcessorMode previousMode) implements Caller {

  public KThread {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(previousMode, "previousMode");
  }

  @Override
  public HandleTable handleTable() {
    return process.handleTable();
  }

  @Override
  public Token token() {
    return process.token();
  }

  /** The same process in kernel mode, as a driver called on this thread's behalf would run. */
  public KThread asKernel() {
    return previousMode == ProcessorMode.KERNEL ? this : new KThread(process, ProcessorMode.KERNEL);
  }
}
