package ntio.host.wire;

/**
 * Bytes that do not follow the protocol: a frame too long or cut short, a field that runs past the
 * end of its frame, an unknown frame kind, a value no record can hold. The only exception the
 * decoders throw on bad input; the server answers it with an error reply for the request (when the
 * request id could be read) or by closing that one connection.
 */
public final class WireException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With what was wrong. */
  public WireException(String message) {
    super(message);
  }

  /** With what was wrong and the failure that showed it. */
  public WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
