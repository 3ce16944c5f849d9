package ntio.kernel.io;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import ntio.ddk.NtStatus;
import ntio.ddk.TraceProvider;

/**
 * A trace provider a driver registered ({@code EtwRegister}'s {@code REGHANDLE}): events go to the
 * kernel's {@link ntio.kernel.executive.TraceLog}. Listed in its image's {@link ImageResources}
 * while registered; writing through it after the image was unmapped is bug check 0xCE.
 */
final class ImageTraceProvider implements TraceProvider {

  private final ImageImports services;
  private final UUID providerId;
  private final long address;
  private final AtomicBoolean registered = new AtomicBoolean(true);

  ImageTraceProvider(ImageImports services, UUID providerId, long address) {
    this.services = services;
    this.providerId = providerId;
    this.address = address;
  }

  long address() {
    return address;
  }

  ImageImports owner() {
    return services;
  }

  /** Unregisters; false when it was not registered any more. */
  boolean unregister() {
    return registered.compareAndSet(true, false);
  }

  @Override
  public UUID providerId() {
    return providerId;
  }

  @Override
  public NtStatus write(String message) {
    services.checkLoaded("EtwWrite");
    if (!registered.get()) {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    services.io().traceLog.write(services.driverName(), providerId, String.valueOf(message));
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public boolean isRegistered() {
    return registered.get();
  }
}
