package ntio.kernel.io;

import ntio.kernel.executive.BugCheck;

/**
 * The gate every call through an image's services passes, and every routine of the image the
 * kernel calls back: once the image is unmapped, the bug check NT gives for code of an unloaded
 * driver running (DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0xCE) instead of
 * silently working; once the kernel has halted, a refusal (docs/security/rundown-and-halt.md).
 *
 * <p>Thread-safe: the unloaded mark is volatile and only ever set.
 */
final class ImageRundown {

  private final IoManager io;
  private final KernelDriverObject driver;
  private volatile boolean unloaded;

  ImageRundown(IoManager io, KernelDriverObject driver) {
    this.io = io;
    this.driver = driver;
  }

  /** The image is gone: every later call is a bug check. */
  void markUnloaded() {
    unloaded = true;
  }

  /**
   * Runs a routine of the driver the kernel called back (a DPC, a work item, a thread's start
   * routine): bug check 0xCE if the image is gone, 0x1E if the routine throws.
   */
  void runDriverCallback(String what, DriverDoor door, Runnable routine) {
    if (unloaded) {
      refuseIfUnloaded(what + " of " + driver.describe() + " ran");
    }
    io.callDriver(driver, door, routine, () -> {
      routine.run();
      return null;
    });
  }

  /**
   * The gate of a routine with no status to return: bug check 0xCE once the image is gone; once
   * the kernel has halted, the halt's bug check again, so that driver code which caught it cannot
   * carry on through the kernel (the halt is final).
   */
  void checkLoaded(String routine) {
    if (!enter(routine)) {
      throw new ntio.kernel.executive.BugCheckException(io.bugChecks.first().orElseThrow());
    }
  }

  /**
   * The gate of a routine that returns a status: bug check 0xCE once the image is gone; false once
   * the kernel has halted, and the routine answers {@code STATUS_SYSTEM_SHUTDOWN} (or its
   * documented failure, such as a null IRP) having done nothing.
   */
  boolean enter(String routine) {
    if (unloaded) { // the message is built only for the bug check, not on every call
      refuseIfUnloaded(routine + " called through the services of " + driver.describe());
    }
    return !io.bugChecks.isHalted();
  }

  /** Bug check 0xCE once the image is gone: {@code happened} is what ran into it. */
  private void refuseIfUnloaded(String happened) {
    if (unloaded) {
      throw io.bugChecks.raise(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, 0, 0, 0, 0,
          driver.serviceName(), happened + " after its image was unloaded");
    }
  }
}
