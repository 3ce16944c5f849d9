package ntio.kernel.executive;

import java.util.Optional;

/**
 * Finds, in a recorded stack, the frame that called into the kernel: the driver's own code that
 * made an allocation.
 *
 * <p>Models the {@code CallingAddress} Driver Verifier's pool tracking keeps for each block (full:
 * one frame, the caller's). The caller is the nearest frame whose class a driver image's loader
 * defined (its loader is named {@code image:<file>}), whatever package the class claims; failing
 * that, the nearest frame outside the kernel, the DDK, the framework and the JDK, so a caller that
 * is no image (a host's own code, a benchmark) still has a site. A driver built on the framework
 * is named at its own call into the framework.
 */
public final class CallingSite {

  private static final String IMAGE_LOADER_PREFIX = "image:";

  private CallingSite() {}

  /**
   * The driver's frame that called into the kernel on the current thread: where a bug check caused
   * by the driver's own call (an IRQL rule it broke) names the driver's source line.
   */
  public static Optional<StackTraceElement> ofCurrentThread() {
    return in(new Throwable().getStackTrace());
  }

  /** The calling frame in {@code stack}, innermost first as {@link Throwable} records it. */
  static Optional<StackTraceElement> in(StackTraceElement[] stack) {
    StackTraceElement outside = null;
    for (StackTraceElement frame : stack) {
      String loader = frame.getClassLoaderName();
      if (loader != null && loader.startsWith(IMAGE_LOADER_PREFIX)) {
        return Optional.of(frame);
      }
      if (outside == null && !isSystemClass(frame.getClassName())) {
        outside = frame;
      }
    }
    return Optional.ofNullable(outside);
  }

  private static boolean isSystemClass(String className) {
    return className.startsWith("ntio.kernel.") || className.startsWith("ntio.ddk.")
        || className.startsWith("ntio.framework.") || className.startsWith("java.")
        || className.startsWith("jdk.") || className.startsWith("sun.");
  }
}
