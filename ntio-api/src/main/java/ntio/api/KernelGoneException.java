package ntio.api;

/**
 * The kernel cannot be reached any more: the daemon closed the connection or the embedded kernel
 * was shut down under the client. Not an NT status: no call was made.
 */
public final class KernelGoneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With the reason. */
  public KernelGoneException(String message, Throwable cause) {
    super(message, cause);
  }

  /** With the reason. */
  public KernelGoneException(String message) {
    super(message);
  }
}
