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

  /**
   * Pointer references the object's owner holds for its whole life (a device's keep-alive
   * reference): counted in {@link #pointerCount}, taken by {@link #markOwnerReference()} and given
   * back only by {@link #dereferenceOwnerReference()}.
   */
  @GuardedBy("this")
  private long ownerReferences;

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

  /**
   * Marks one pointer reference the caller already holds as its owner's reference, kept until
   * {@link #dereferenceOwnerReference()}: one that no other holder may drop, which {@link
   * #dereferenceByDriver()} counts as required.
   */
  public final void markOwnerReference() {
    synchronized (this) {
      if (deleted || pointerCount <= ownerReferences) {
        throw new IllegalStateException("owner reference of " + describe() + " with pointer count "
            + pointerCount + " and " + ownerReferences + " owner references");
      }
      ownerReferences++;
    }
  }

  /**
   * Gives back an owner reference ({@link #markOwnerReference()}) and removes it from the pointer
   * count, as {@link #dereference()} does.
   *
   * @return true only when this call freed the object
   * @throws IllegalStateException if no owner reference is held (an ntio bug)
   */
  public final boolean dereferenceOwnerReference() {
    synchronized (this) {
      if (ownerReferences <= 0) {
        throw new IllegalStateException("owner dereference of " + describe() + " holding none");
      }
      ownerReferences--;
    }
    return dereference();
  }

  /**
   * The pointer references the object's own holders keep: one per handle, one while permanent, and
   * its owner's ({@link #markOwnerReference()}). No correct dereference takes the pointer count
   * below it.
   */
  public final synchronized long requiredReferences() {
    return handleCount + (permanent ? 1 : 0) + ownerReferences;
  }

  /**
   * A driver's {@code ObDereferenceObject}: removes a pointer reference unless that would take the
   * pointer count below {@link #requiredReferences()} — a reference the driver never took, which
   * would free the object under its holders. Then nothing changes and the caller bug-checks
   * REFERENCE_BY_POINTER (0x18), naming the driver that made the call.
   *
   * @return whether it was refused, and the pointer count before the call (which NT's bug check
   *     carries)
   */
  public final DriverDereference dereferenceByDriver() {
    long before;
    boolean freed;
    synchronized (this) {
      before = pointerCount;
      if (deleted || pointerCount - 1 < handleCount + (permanent ? 1 : 0) + ownerReferences) {
        return new DriverDereference(true, before);
      }
      pointerCount--;
      freed = pointerCount == 0;
      if (freed) {
        deleted = true;
      }
    }
    if (freed) {
      type().runDeleteProcedure(this);
    }
    return new DriverDereference(false, before);
  }

  /**
   * What {@link #dereferenceByDriver()} did.
   *
   * @param refused true when the dereference would have dropped a reference its holders require
   * @param pointerCountBefore the pointer count when the call was made
   */
  public record DriverDereference(boolean refused, long pointerCountBefore) {}

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
