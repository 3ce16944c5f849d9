package ntio.kernel.loader;

import ntio.ddk.NtStatus;

/**
 * Why an image cannot be mapped, raised deep inside the readers and turned into the status of
 * {@link DriverLoader#map} at the loader's boundary; it never leaves this package.
 */
final class BadImageException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient NtStatus status;

  BadImageException(NtStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** An image that is not a well-formed JAR or class file: {@code STATUS_INVALID_IMAGE_FORMAT}. */
  static BadImageException format(String message) {
    return new BadImageException(NtStatus.STATUS_INVALID_IMAGE_FORMAT, message);
  }

  NtStatus status() {
    return status;
  }
}
