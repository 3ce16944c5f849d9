package ntio.host.cli;

/** No kernel can be reached: no daemon is listening and {@code --embedded} was not given. */
final class KernelUnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  KernelUnreachableException(String message) {
    super(message);
  }
}
