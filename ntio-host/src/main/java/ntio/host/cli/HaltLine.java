package ntio.host.cli;

import java.io.PrintWriter;
import ntio.api.KernelHalt;

/**
 * What a command says when its kernel halted while it ran, or had halted before: the one line of
 * {@link KernelHalt#line()} instead of a bare {@code STATUS_SYSTEM_SHUTDOWN}, and exit code 3 (no
 * working kernel could be reached).
 */
final class HaltLine {

  private HaltLine() {}

  /**
   * The exit code of a command that ended with {@code code} on {@code session}: when the session's
   * kernel halted, prints its line on {@code err} and returns {@link ExitCodes#UNREACHABLE}. A
   * session lent by the shell is left to the shell, which says it once and ends.
   *
   * @param session the session the command opened; null when it opened none
   */
  static int afterCommand(Session session, boolean lent, int code, PrintWriter err) {
    if (session == null || lent || code == ExitCodes.UNREACHABLE) {
      return code;
    }
    return session.nt().kernelHalt().map(halt -> {
      err.println("ntio: " + halt.line());
      return ExitCodes.UNREACHABLE;
    }).orElse(code);
  }
}
