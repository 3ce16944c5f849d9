package ntio.kernel.objects;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Objects;
import java.util.Optional;
import ntio.kernel.security.SecurityDescriptor;

/**
 * An object managed by the object manager: the object header and the base of every object body.
 *
 * <p>Models {@code OBJECT_HEADER} (partial: no quota charges, no handle database). Every kernel
 * object — directory, symbolic link, key, driver, device, file, event — extends this class, so the
 * header travels with the body as in NT.
 *
 * <p>Two counts live here, with one contract each:
 *
 * <ul>
 *   <li>the <b>pointer count</b> keeps the object's memory alive. {@link #reference()} adds one;
 *       {@link #dereference()} removes one and returns {@code true} only for the call that freed
 *       the object, after which the type's delete procedure has run exactly once. A dereference
 *       past zero, or a reference of a freed object, is a bug in ntio and throws.
 *   <li>the <b>handle count</b> counts handles in any process. Each handle also holds one pointer
 *       reference. When it drops to zero and the object is temporary, its name leaves the
 *       namespace ({@code ObpDeleteNameCheck}).
 * </ul>
 *
 * A permanent named object ({@code OBJ_PERMANENT}) holds one extra pointer reference for as long
 * as it is permanent, which is what keeps it, and its name, alive with no handles.
 *
 * <p>Implementation notes: counts and flags are guarded by {@code this}; the name and directory
 * are written only by {@link Namespace} under its write lock and read under its read lock. The
 * delete procedure is always called with no lock held.
 */
public abstract class KernelObject {

  private final ObjectType type;

  @GuardedBy("this")
  private long pointerCount = 1;

  @GuardedBy("this")
  private long handleCount;

  @GuardedBy("this")
  private boolean permanent;

  @GuardedBy("this")
  private boolean deleted;

  @GuardedBy("this")
  private boolean exclusive;

  /** The process (handle table) that owns an exclusive object's handles, while it has any. */
  @GuardedBy("this")
  private HandleTable exclusiveOwner;

  // Written under the namespace write lock; volatile so readers outside it see a consistent value.
  private volatile String name;
  private volatile Directory directory;
  private volatile SecurityDescriptor security;

  /**
   * Creates an unnamed object with a pointer count of one (the creator's reference) and no handles.
   * Models {@code ObCreateObject} (partial: the body is this Java object).
   */
  protected KernelObject(ObjectType type) {
    this.type = Objects.requireNonNull(type, "type");
    type.countCreated();
  }

  /** Constructor used only by {@link ObjectType} for the type object that describes types. */
  KernelObject() {
    this.type = null;
  }

  /** The object's type. */
  public ObjectType type() {
    return type == null ? (ObjectType) this : type;
  }

  /**
   * The object's name in its directory, or empty while it has none. Final: the namespace keys
   * directory entries by it, so no object type may redefine it.
   */
  public final Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The directory holding the name, or null while unnamed. */
  Directory directory() {
    return directory;
  }

  void setNameLocked(String name, Directory directory) {
    this.name = name;
    this.directory = directory;
  }

  /**
   * The full path, such as {@code \Device\Echo}, or empty while unnamed. Models the name part of
   * {@code ObQueryNameString} (full for namespace objects; subsystems with a parse procedure
   * override it to add what lies beyond the namespace).
   */
  public Optional<String> fullName() {
    String own = this.name;
    Directory dir = directory;
    if (own == null || dir == null) {
      return Optional.empty();
    }
    String parent = dir.fullName().orElse("");
    return Optional.of(parent.equals("\\") ? "\\" + own : parent + "\\" + own);
  }

  /** The object's security descriptor, or null when it has none (no access check applies). */
  public SecurityDescriptor securityDescriptor() {
    return security;
  }

  /** Replaces the security descriptor. Models the set part of {@code ObSetSecurityObjectByPointer}. */
  public void setSecurityDescriptor(SecurityDescriptor descriptor) {
    this.security = descriptor;
  }

  /** The pointer count (for diagnostics and tests; it changes as soon as it is read). */
  public synchronized long pointerCount() {
    return pointerCount;
  }

  /** The handle count (for diagnostics and tests). */
  public synchronized long handleCount() {
    return handleCount;
  }

  /** Whether the object is permanent ({@code OBJ_PERMANENT}). */
  public synchronized boolean isPermanent() {
    return permanent;
  }

  /** Whether the object is exclusive ({@code OBJ_EXCLUSIVE}). */
  public synchronized boolean isExclusive() {
    return exclusive;
  }

  /** Whether the delete procedure has run: the object is gone. */
  public synchronized boolean isDeleted() {
    return deleted;
  }

  synchronized void setExclusive(boolean exclusive) {
    this.exclusive = exclusive;
  }

  /**
   * Adds a pointer reference. Models {@code ObReferenceObject} (full).
   *
   * @throws IllegalStateException if the object was already freed (a resurrection: an ntio bug)
   */
  public final void reference() {
    synchronized (this) {
      if (deleted || pointerCount <= 0) {
        throw new IllegalStateException(
            "reference of freed " + describe() + ": pointer count " + pointerCount + ", delta +1");
      }
      pointerCount++;
    }
  }

  /**
   * Removes a pointer reference; the call that removes the last one runs the type's delete
   * procedure, outside every lock. Models {@code ObDereferenceObject} (full).
   *
   * @return true only when this call freed the object
   * @throws IllegalStateException on a dereference past zero (an ntio bug)
   */
  public final boolean dereference() {
    synchronized (this) {
      if (pointerCount <= 0) {
        throw new IllegalStateException(
            "dereference of " + describe() + " below zero: pointer count " + pointerCount
                + ", delta -1");
      }
      if (--pointerCount > 0) {
        return false;
      }
      deleted = true;
    }
    type().runDeleteProcedure(this);
    return true;
  }

  /** Called by the handle table when a handle to this object is created in {@code table}. */
  final NtStatusOrOk incrementHandleCount(HandleTable table) {
    synchronized (this) {
      if (deleted) {
        throw new IllegalStateException("handle to freed " + describe());
      }
      if (exclusive && handleCount > 0 && exclusiveOwner != table) {
        return NtStatusOrOk.ACCESS_DENIED;
      }
      handleCount++;
      pointerCount++;
      exclusiveOwner = table;
      return NtStatusOrOk.OK;
    }
  }

  /** Drops one handle's count; returns the handle count left. The handle's pointer stays. */
  final long decrementHandleCount() {
    synchronized (this) {
      if (handleCount <= 0) {
        throw new IllegalStateException(
            "handle count of " + describe() + " below zero: " + handleCount + ", delta -1");
      }
      handleCount--;
      if (handleCount == 0) {
        exclusiveOwner = null;
      }
      return handleCount;
    }
  }

  /** Sets the permanent flag; true when it changed (and the permanent reference was added). */
  final boolean markPermanent() {
    synchronized (this) {
      if (permanent) {
        return false;
      }
      permanent = true;
      pointerCount++;
      return true;
    }
  }

  /**
   * Clears the permanent flag; true when it changed, in which case the caller owes one
   * {@link #dereference()} for the permanent reference, after it has dealt with the name.
   */
  final boolean clearPermanent() {
    synchronized (this) {
      if (!permanent) {
        return false;
      }
      permanent = false;
      return true;
    }
  }

  /** A short description for messages: type and name. */
  public String describe() {
    return type().typeName() + " " + fullName().orElse("(unnamed)");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** The two outcomes of a handle-count increment. */
  enum NtStatusOrOk {
    OK,
    ACCESS_DENIED
  }
}
