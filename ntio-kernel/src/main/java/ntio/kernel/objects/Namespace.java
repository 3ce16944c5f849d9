package ntio.kernel.objects;

import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The object namespace of one kernel: the root directory {@code \}, {@code \GLOBAL??} (which
 * {@code \??} reaches) and the one lock that guards every directory's entries and every object's
 * name. Models the directory half of NT's {@code obdir.c} and {@code ObpDeleteNameCheck}.
 *
 * <p>Implementation notes: lookups hold the read lock, inserts and name removals the write lock.
 * The lock is a leaf of the object manager: parse, close and delete procedures (which may run
 * driver code) are never called under it, and nothing here calls out. {@link NameLookup} takes it
 * itself for its walks; everything else changes names through the methods below.
 */
final class Namespace {

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Directory root;
  private final Directory dosDevices;

  /**
   * A namespace around its two fixed directories; the caller names {@code dosDevices} in the root
   * at boot.
   *
   * @param root the permanent root directory {@code \}
   * @param dosDevices the directory that becomes {@code \GLOBAL??}
   */
  Namespace(Directory root, Directory dosDevices) {
    this.root = root;
    this.dosDevices = dosDevices;
  }

  /** The root directory {@code \}. */
  Directory root() {
    return root;
  }

  /** {@code \GLOBAL??}, the directory {@code \??} reaches. */
  Directory dosDevices() {
    return dosDevices;
  }

  /** The read lock: held to look a name up. */
  Lock readLock() {
    return lock.readLock();
  }

  /** The write lock: held to insert or remove a name. */
  Lock writeLock() {
    return lock.writeLock();
  }

  /** {@code ObpDeleteNameCheck}: a temporary object with no handles leaves the namespace. */
  void deleteNameCheck(KernelObject object) {
    if (object.directory() == null) {
      return;
    }
    lock.writeLock().lock();
    try {
      if (object.handleCount() == 0 && !object.isPermanent() && object.directory() != null) {
        object.directory().removeLocked(object);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Takes the object's name away, whatever its counts (an insert being undone). */
  void removeName(KernelObject object) {
    lock.writeLock().lock();
    try {
      Directory directory = object.directory();
      if (directory != null) {
        directory.removeLocked(object);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The entry of {@code directory} named {@code component}, referenced before the lock is
   * released, or null.
   */
  KernelObject referenceEntry(Directory directory, String component) {
    lock.readLock().lock();
    try {
      KernelObject entry = directory.lookupLocked(component);
      if (entry != null) {
        entry.reference();
      }
      return entry;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A snapshot of a directory's entries, in no order. */
  List<KernelObject> entries(Directory directory) {
    lock.readLock().lock();
    try {
      return directory.entriesLocked();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many entries a directory holds. */
  int size(Directory directory) {
    lock.readLock().lock();
    try {
      return directory.sizeLocked();
    } finally {
      lock.readLock().unlock();
    }
  }
}
