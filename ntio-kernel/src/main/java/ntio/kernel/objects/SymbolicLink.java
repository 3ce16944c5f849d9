package ntio.kernel.objects;

import java.time.Instant;
import java.util.Objects;

/**
 * An object-manager symbolic link: a name that stands for another. Models
 * {@code OBJECT_SYMBOLIC_LINK} (full for the object manager's own links, such as
 * {@code \??\Echo} → {@code \Device\Echo}; no per-session device maps).
 */
public final class SymbolicLink extends KernelObject {

  private final String target;
  private final Instant created = Instant.now();

  SymbolicLink(ObjectType type, String target) {
    super(type);
    this.target = Objects.requireNonNull(target, "target");
  }

  /** The absolute name this link stands for. */
  public String target() {
    return target;
  }

  /** When the link was created. */
  public Instant created() {
    return created;
  }
}
