package ntio.host.cli;

/** The exit codes of {@code ntio}, as cli.md defines them. */
final class ExitCodes {

  private ExitCodes() {}

  /** The NT status was a success. */
  static final int SUCCESS = 0;
  /** The NT status was not a success. */
  static final int NT_FAILURE = 1;
  /** The command line was wrong. */
  static final int USAGE = 2;
  /** No kernel could be reached. */
  static final int UNREACHABLE = 3;
  /** {@code ntio host} stopped with driver code still running after the shutdown grace period. */
  static final int HUNG_DRIVER = ntio.host.daemon.HostRuntime.HUNG_DRIVER_EXIT_CODE;
}
