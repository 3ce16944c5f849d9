package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_COLLISION;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_EXISTS;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * Naming a new object: the walk to the directory that will hold it, following symbolic links but
 * never calling a parse procedure, and the insert of its last component. Models the insert half
 * of NT's {@code ObpLookupObjectName} ({@code obname.c}), as {@code ObInsertObject} uses it.
 *
 * <p>Implementation notes: each walk holds the namespace write lock from the directory it starts
 * at to the insert, so the name checked free is the name taken; the lock is released between
 * reparses. An object met on the way is looked at only under the lock and never referenced,
 * except the existing object an {@code OBJ_OPENIF} insert opens instead.
 */
final class NameInsertion {

  private final Namespace namespace;
  private final ObjectSecurity security;
  private final NameLookup names;

  NameInsertion(Namespace namespace, ObjectSecurity security, NameLookup names) {
    this.namespace = namespace;
    this.security = security;
    this.names = names;
  }

  /**
   * Where an insert ended: the status, and for {@code OBJ_OPENIF} the existing object of the same
   * type, referenced, that the caller opens instead.
   */
  record NamedInsert(NtStatus status, KernelObject existing) {}

  /**
   * Names a new object: walks to the parent directory (following links, never calling a parse
   * procedure), checks the caller may create there and inserts the last component under the write
   * lock. Models the insert half of {@code ObpLookupObjectName}.
   *
   * @param attrs the effective {@code OBJ_*} attributes
   */
  NamedInsert insertName(KernelObject object, ObjectAttributes attributes, int attrs, Caller caller) {
    Directory root = namespace.root();
    UnicodeString name = attributes.objectName();
    Referenced<KernelObject> start = names.startOfName(attributes.rootDirectory(), name, caller, false);
    if (!start.isSuccess()) {
      return new NamedInsert(start.status(), null);
    }
    String path = name.text();
    KernelObject startObject = start.object();
    try {
      if (!(startObject instanceof Directory)) {
        return new NamedInsert(STATUS_OBJECT_TYPE_MISMATCH, null);
      }
      Directory directory = (Directory) startObject;
      String remaining = startObject == root ? NameLookup.stripRoot(path) : path;
      for (int reparses = 0; reparses <= NameLookup.MAX_REPARSE; reparses++) {
        namespace.writeLock().lock();
        String reparse;
        try {
          if (directory == root && NameLookup.isDosDevicesPath(remaining)) {
            directory = namespace.dosDevices();
            remaining = NameLookup.stripDosDevices(remaining);
          }
          if (remaining.isEmpty()) {
            // The name is a directory itself, such as \: it exists.
            if ((attrs & ObjectAttributes.OBJ_OPENIF) != 0 && directory.type() == object.type()) {
              directory.reference();
              return new NamedInsert(STATUS_OBJECT_NAME_EXISTS, directory);
            }
            return new NamedInsert(STATUS_OBJECT_NAME_COLLISION, null);
          }
          Walk walk = walkLocked(directory, remaining, caller);
          if (walk.reparseName == null) {
            if (!walk.status.isSuccess()) {
              return new NamedInsert(walk.status, null);
            }
            KernelObject existing = walk.directory.lookupLocked(walk.lastComponent);
            if (existing != null) {
              if ((attrs & ObjectAttributes.OBJ_OPENIF) != 0 && existing.type() == object.type()) {
                existing.reference();
                return new NamedInsert(STATUS_OBJECT_NAME_EXISTS, existing);
              }
              return new NamedInsert(STATUS_OBJECT_NAME_COLLISION, null);
            }
            int createRight = object instanceof Directory
                ? AccessMask.DIRECTORY_CREATE_SUBDIRECTORY
                : AccessMask.DIRECTORY_CREATE_OBJECT;
            if (caller.isUserMode()
                && !security.check(walk.directory, createRight, caller, false).status().isSuccess()) {
              return new NamedInsert(STATUS_ACCESS_DENIED, null);
            }
            walk.directory.insertLocked(walk.lastComponent, object);
            if ((attrs & ObjectAttributes.OBJ_PERMANENT) != 0) {
              object.markPermanent();
            }
            return new NamedInsert(STATUS_SUCCESS, null);
          }
          reparse = walk.reparseName;
        } finally {
          namespace.writeLock().unlock();
        }
        NtStatus syntax = UnicodeString.of(reparse).validateObjectPath();
        if (!syntax.isSuccess()) {
          return new NamedInsert(syntax, null);
        }
        directory = root;
        remaining = NameLookup.stripRoot(reparse);
      }
      return new NamedInsert(STATUS_OBJECT_NAME_NOT_FOUND, null);
    } finally {
      startObject.dereference();
    }
  }

  /** Where an insert walk ended: the parent directory and the last component, or a reparse. */
  private record Walk(NtStatus status, Directory directory, String lastComponent, String reparseName) {}

  private Walk walkLocked(Directory directory, String remaining, Caller caller) {
    while (true) {
      int slash = remaining.indexOf('\\');
      if (slash < 0) {
        if (remaining.isEmpty()) {
          return new Walk(STATUS_OBJECT_NAME_INVALID, null, null, null);
        }
        return new Walk(STATUS_SUCCESS, directory, remaining, null);
      }
      String component = remaining.substring(0, slash);
      String rest = remaining.substring(slash + 1);
      if (component.isEmpty() || rest.isEmpty()) {
        return new Walk(STATUS_OBJECT_NAME_INVALID, null, null, null);
      }
      KernelObject object = directory.lookupLocked(component);
      if (object == null) {
        return new Walk(STATUS_OBJECT_PATH_NOT_FOUND, null, null, null);
      }
      if (object instanceof SymbolicLink link) {
        return new Walk(null, null, null, Names.join(link.target(), rest));
      }
      if (!(object instanceof Directory next)) {
        return new Walk(STATUS_OBJECT_TYPE_MISMATCH, null, null, null);
      }
      if (!security.mayTraverse(next, caller)) {
        return new Walk(STATUS_ACCESS_DENIED, null, null, null);
      }
      directory = next;
      remaining = rest;
    }
  }
}
