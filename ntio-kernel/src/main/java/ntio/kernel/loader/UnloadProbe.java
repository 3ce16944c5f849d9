package ntio.kernel.loader;

import java.lang.ref.WeakReference;
import java.util.Objects;

/**
 * Proof that an unloaded image left nothing behind: its class loader, and so every class and
 * object of the image, was garbage-collected. Driver Verifier's unload scan looks for code still
 * referenced in an unloaded image; on the JVM, the loader becoming unreachable is that proof.
 *
 * <p>Holds only a weak reference; thread-safe.
 */
public final class UnloadProbe {

  private final WeakReference<ClassLoader> loader;
  private final String image;

  private UnloadProbe(WeakReference<ClassLoader> loader, String image) {
    this.loader = loader;
    this.image = image;
  }

  /** A probe on an image's class loader (mapped or not). No NT counterpart. */
  public static UnloadProbe of(LoadedImage image) {
    Objects.requireNonNull(image, "image");
    return new UnloadProbe(image.unloadedLoaderReference(), image.poolOwner().toString());
  }

  /** Whether the image's class loader has been collected. No NT counterpart. */
  public boolean isCollected() {
    return loader.refersTo(null);
  }

  /**
   * Asks for garbage collections, up to {@code maximumCycles} of them, until the loader is
   * collected. No NT counterpart.
   *
   * @return whether it was collected; false means something still reaches the image (or the
   *     collector declined within the bound)
   */
  public boolean awaitCollected(int maximumCycles) {
    for (int cycle = 0; cycle < maximumCycles && !isCollected(); cycle++) {
      System.gc();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return isCollected();
  }

  /** The image and whether its loader was collected. No NT counterpart. */
  @Override
  public String toString() {
    return "UnloadProbe[" + image + (isCollected() ? ", collected]" : "]");
  }
}
