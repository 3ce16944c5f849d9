package ntio.kernel.verifier;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The verifier's counted fault injection, for sweeps over a path such as a device's bring-up: armed
 * for an image name, it counts every call of that image the low resources simulations consider
 * (the fallible calls: {@code ExAllocatePoolWithTag}, {@code IoAllocateIrp}, {@code
 * IoCreateDevice}, {@code IoAttachDeviceToDeviceStack}) and fails exactly the {@code n}th one.
 * Armed with 0 it only counts: a first run over the path tells how many injection points it
 * reaches, and runs failing the 1st, 2nd, … {@code n}th then cover every one of them. The arming
 * outlives loads and unloads of the image, so a path that loads the driver is swept from its
 * DriverEntry on. [MODEL] Windows has no such mode; it is the deterministic counterpart of the
 * systematic low resources simulation (DV7), which fails the first call of each call site.
 *
 * <p>Thread-safe; calls racing on one image draw distinct numbers.
 */
final class FaultSweep {

  /** One image's arming: which call fails (0: none), and how many were counted. */
  private record Armed(int failAt, AtomicInteger calls) {}

  private final ConcurrentHashMap<String, Armed> armed = new ConcurrentHashMap<>();

  /** Arms (or re-arms, from a count of 0) the sweep for {@code imageName}. */
  void arm(String imageName, int failAt) {
    if (failAt < 0) {
      throw new IllegalArgumentException("failAt must be 0 (count only) or more: " + failAt);
    }
    armed.put(key(imageName), new Armed(failAt, new AtomicInteger()));
  }

  /** Disarms the sweep for {@code imageName}; returns the calls it counted (0 if not armed). */
  int disarm(String imageName) {
    Armed was = armed.remove(key(imageName));
    return was == null ? 0 : was.calls().get();
  }

  /** The fallible calls counted for {@code imageName} since it was armed (0 if not armed). */
  int calls(String imageName) {
    Armed now = armed.get(key(imageName));
    return now == null ? 0 : now.calls().get();
  }

  /** Counts one fallible call of {@code imageName}; true when it is the one to fail. */
  boolean fail(String imageName) {
    Armed now = armed.get(key(imageName));
    if (now == null) {
      return false;
    }
    return now.calls().incrementAndGet() == now.failAt();
  }

  private static String key(String imageName) {
    return imageName.toUpperCase(Locale.ROOT);
  }
}
