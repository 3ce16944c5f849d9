package ntio.host.shell;

/** A shell command given words it cannot use (an unknown handle name, bad hex): exit code 2. */
final class ShellUsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ShellUsageException(String message) {
    super(message);
  }
}
