package ntio.kernel.io;

import ntio.kernel.loader.LoadedImage;

/**
 * What a kernel thread looks like to driver code for the length of one call into it, and the
 * thread's own state put back afterwards: the context class loader is the driver image's loader
 * (never the application loader, which sees the kernel), and an uncaught-exception handler the
 * driver set on the kernel's thread does not outlive the call (it would run driver code after the
 * driver is gone). Used only by {@link IoManager#callDriver}, the one door into driver code.
 *
 * <p>Not thread-safe: one per call, entered and left on the calling thread.
 */
final class DriverCallContext {

  private final Thread thread;
  private final ClassLoader contextClassLoader;
  private final Thread.UncaughtExceptionHandler handler;

  private DriverCallContext(Thread thread, ClassLoader contextClassLoader,
      Thread.UncaughtExceptionHandler handler) {
    this.thread = thread;
    this.contextClassLoader = contextClassLoader;
    this.handler = handler;
  }

  /** Makes the current thread ready to run {@code driver}'s code; {@link #leave()} undoes it. */
  static DriverCallContext enter(KernelDriverObject driver) {
    Thread thread = Thread.currentThread();
    DriverCallContext saved = new DriverCallContext(thread, thread.getContextClassLoader(),
        thread.getUncaughtExceptionHandler());
    thread.setContextClassLoader(loaderOf(driver));
    return saved;
  }

  /** Puts back what {@link #enter} found. */
  void leave() {
    thread.setContextClassLoader(contextClassLoader);
    if (thread.getUncaughtExceptionHandler() != handler) {
      // With none set, the thread's group answers; null puts that back.
      thread.setUncaughtExceptionHandler(handler == thread.getThreadGroup() ? null : handler);
    }
  }

  /**
   * The loader {@code driver}'s code was defined by: its image's, or for a builtin driver (no
   * image) the loader of the code that made it, which is an image's when a driver made it.
   */
  static ClassLoader loaderOf(KernelDriverObject driver) {
    LoadedImage image = driver.image();
    ClassLoader loader = image != null ? image.contextClassLoader() : null;
    if (loader != null) {
      return loader;
    }
    return driver.driverInit() != null ? driver.driverInit().getClass().getClassLoader() : null;
  }
}
