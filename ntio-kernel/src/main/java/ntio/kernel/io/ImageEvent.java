package ntio.kernel.io;

import ntio.api.EventType;
import ntio.ddk.KernelEvent;
import ntio.kernel.executive.KEvent;
import ntio.kernel.ke.Waitable;

/**
 * A driver's event ({@code KEVENT} initialized by {@code KeInitializeEvent}): the kernel's {@link
 * KEvent} with the IRQL rules of the image that made it. Waiting on it is {@link
 * ImageKernelRoutines#waitForSingleObject}.
 *
 * <p>Thread-safe, as {@link KEvent} is.
 *
 * @implNote [MODEL] Windows checks {@code KeSetEvent} (0xC4/0x80 above DISPATCH_LEVEL) in the
 *     import table of the driver that calls it; ntio checks it by the image that initialized the
 *     event, almost always the same driver.
 */
final class ImageEvent implements KernelEvent, Waitable {

  private final ImageKernelRoutines image;
  private final KEvent event;
  private final long address;

  ImageEvent(ImageKernelRoutines image, boolean notification, boolean signalled, long address) {
    this.image = image;
    this.event = new KEvent(notification ? EventType.NOTIFICATION : EventType.SYNCHRONIZATION,
        signalled);
    this.address = address;
  }

  /** The event's made-up kernel address, as bug check parameters show it. */
  long address() {
    return address;
  }

  /** Whether the event was made in the kernel of {@code io}. */
  boolean belongsTo(IoManager io) {
    return image.io == io;
  }

  @Override
  public KEvent dispatcherEvent() {
    return event;
  }

  @Override
  public boolean set() {
    image.checkLoaded("KeSetEvent");
    image.irqlRules.checkSetEvent(address);
    return event.set();
  }

  @Override
  public boolean reset() {
    image.checkLoaded("KeResetEvent");
    return event.reset();
  }

  @Override
  public void clear() {
    image.checkLoaded("KeClearEvent");
    event.clear();
  }

  @Override
  public boolean isSignalled() {
    return event.readState();
  }

  @Override
  public String toString() {
    return (event.type() == EventType.NOTIFICATION ? "notification" : "synchronization")
        + " event 0x" + Long.toHexString(address).toUpperCase(java.util.Locale.ROOT);
  }
}
