package ntio.host.shell;

/** A shell line that cannot be split into words (a quote left open): a usage error, exit code 2. */
public final class ShellSyntaxException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  ShellSyntaxException(String message) {
    super(message);
  }
}
