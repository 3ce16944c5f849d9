package ntio.kernel.objects;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An object directory: a named set of objects. Models {@code OBJECT_DIRECTORY} (partial: no
 * device map, no shadow directory). Entries are found by upcased name in constant time, so a
 * directory of 100,000 devices answers as fast as one of ten.
 *
 * <p>Implementation notes: {@link #entries} is guarded by the owning {@link Namespace}'s lock
 * (read lock to look up, write lock to change), which the methods ending in {@code Locked} expect
 * the caller to hold. It cannot be named in {@code @GuardedBy} because it belongs to another
 * object.
 */
public final class Directory extends KernelObject {

  /** Upcased component → object. Guarded by the namespace lock. */
  private final Map<String, KernelObject> entries = new HashMap<>();

  private final boolean root;

  Directory(ObjectType type, boolean root) {
    super(type);
    this.root = root;
  }

  KernelObject lookupLocked(String component) {
    return entries.get(Names.upcase(component));
  }

  void insertLocked(String component, KernelObject object) {
    KernelObject previous = entries.putIfAbsent(Names.upcase(component), object);
    if (previous != null) {
      throw new IllegalStateException("directory entry " + component + " already holds " + previous);
    }
    object.setNameLocked(component, this);
  }

  boolean removeLocked(KernelObject object) {
    String name = object.name().orElse(null);
    if (name == null || object.directory() != this) {
      return false;
    }
    if (!entries.remove(Names.upcase(name), object)) {
      throw new IllegalStateException(object.describe() + " names " + name + " in " + this
          + " but is not its entry there");
    }
    object.setNameLocked(null, null);
    return true;
  }

  List<KernelObject> entriesLocked() {
    return new ArrayList<>(entries.values());
  }

  int sizeLocked() {
    return entries.size();
  }

  /** Whether this is the root directory {@code \}. */
  public boolean isRoot() {
    return root;
  }

  @Override
  public Optional<String> fullName() {
    return root ? Optional.of("\\") : super.fullName();
  }
}
