package ntio.kernel.executive;

import java.util.Objects;

/**
 * Who a pool allocation is charged to: the kernel itself ({@code ntoskrnl}) or a driver image.
 *
 * <p>The loader makes each loaded image its own owner, so that a reloaded image with the same name
 * is a different owner; usage statistics are kept by {@link #name()}, live-allocation listings by
 * owner.
 */
public interface PoolOwner {

  /** The owner of the kernel's own allocations. */
  PoolOwner KERNEL = named("ntoskrnl");

  /**
   * The name usage is reported under: {@code ntoskrnl}, or an image name such as {@code Leaky.jar}.
   */
  String name();

  /** A plain owner with this name; two such owners with the same name are equal. */
  static PoolOwner named(String name) {
    return new Named(name);
  }

  /** The owner {@link #named} makes. */
  record Named(String name) implements PoolOwner {
    /** Checks the name. */
    public Named {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a pool owner needs a name");
      }
    }
  }
}
