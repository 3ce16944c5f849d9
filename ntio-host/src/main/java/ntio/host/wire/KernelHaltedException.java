package ntio.host.wire;

import java.io.IOException;
import ntio.api.KernelHalt;

/**
 * The daemon refused a connection because its kernel halted: the host still runs (its
 * {@code CrashControl\AutoReboot} is 0, its reboot budget is spent, or it is rebooting), and
 * {@link #halt()} says why the kernel stopped.
 */
public final class KernelHaltedException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient KernelHalt halt;

  KernelHaltedException(KernelHalt halt) {
    super(halt.line());
    this.halt = halt;
  }

  /** The bug check and its crash report. */
  public KernelHalt halt() {
    return halt;
  }
}
