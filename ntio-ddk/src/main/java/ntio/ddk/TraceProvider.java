package ntio.ddk;

import java.util.UUID;

/**
 * A registered event-tracing provider: what {@code EtwRegister} hands back and WPP's {@code
 * WPP_INIT_TRACING} registers under the hood. Models the {@code REGHANDLE} and {@code EtwWrite}
 * (partial: an event is a message line; there are no levels, keywords or consumers beyond the
 * kernel's trace log).
 *
 * <p>A provider still registered when its driver's image is unmapped is a Miscellaneous Checks
 * finding of Driver Verifier: bug check 0xC4 with parameter 1 {@code 0xDD}.
 */
public interface TraceProvider {

  /** The provider's identity, as the driver registered it. */
  UUID providerId();

  /**
   * Writes an event. Models {@code EtwWrite} (partial).
   *
   * @return {@code STATUS_SUCCESS}, or {@code STATUS_INVALID_HANDLE} once the provider was
   *     unregistered
   */
  NtStatus write(String message);

  /** Whether the provider is still registered. */
  boolean isRegistered();
}
