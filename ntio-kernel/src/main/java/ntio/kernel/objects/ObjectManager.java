package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_HANDLE_NOT_CLOSABLE;
import static ntio.ddk.NtStatus.STATUS_INSUFFICIENT_RESOURCES;
import static ntio.ddk.NtStatus.STATUS_INVALID_HANDLE;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_COLLISION;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_EXISTS;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
import static ntio.ddk.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_REPARSE;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import ntio.api.DirectoryEntry;
import ntio.api.EntryInfo;
import ntio.api.LinkTarget;
import ntio.api.Listing;
import ntio.api.ObjectInfo;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.ddk.UnicodeString;
import ntio.kernel.security.SecurityDescriptor;
import ntio.kernel.security.Token;

/**
 * The object manager of one kernel: the namespace, object types, handles and references. Models
 * the {@code Ob} component (partial: no quota, no audit, no per-session device maps).
 *
 * <p>The namespace at boot is {@code \} with {@code ObjectTypes} (holding the types),
 * {@code GLOBAL??} (which {@code \??} reaches, special-cased in name lookup as NT does),
 * {@code DosDevices} (a link to {@code \??}) and {@code Device}. Other components add theirs.
 *
 * <p>Entry points named {@code nt…} are the system services: they capture and validate what a
 * user-mode caller passed, then call the kernel-side routines named after {@code Ob…}.
 *
 * <p>Implementation notes: one read/write lock guards every directory of the namespace and every
 * object's name. Lookups hold the read lock, inserts and name removals the write lock. Parse
 * procedures (which may run driver code), delete procedures and close procedures are always
 * called with it released. An object found in a directory is referenced before the lock is
 * released; since a named object always holds a reference (its handles' or its permanent one),
 * that reference can never resurrect a freed object.
 */
public final class ObjectManager {

  /** {@code DUPLICATE_CLOSE_SOURCE}. */
  public static final int DUPLICATE_CLOSE_SOURCE = 0x1;
  /** {@code DUPLICATE_SAME_ACCESS}. */
  public static final int DUPLICATE_SAME_ACCESS = 0x2;
  /** {@code DUPLICATE_SAME_ATTRIBUTES}. */
  public static final int DUPLICATE_SAME_ATTRIBUTES = 0x4;

  /** {@code OBJ_MAX_REPARSE_ATTEMPTS}: how many symbolic links or reparses one lookup follows. */
  static final int MAX_REPARSE = 32;

  private static final String DOS_DEVICES_PREFIX = "\\??";

  private final ReentrantReadWriteLock namespaceLock = new ReentrantReadWriteLock();
  private final HandleTable kernelHandles = new HandleTable("System", true);
  private final ObjectSecurity security = new ObjectSecurity();
  private final Caller kernelCaller;
  private final ObjectType typeType;
  private final ObjectType directoryType;
  private final ObjectType symbolicLinkType;
  private final Directory root;
  private final Directory globalDosDevices;

  /**
   * The result of a call that references an object.
   *
   * @param status the status
   * @param object the object, carrying one pointer reference the caller must drop, or null
   * @param grantedAccess the access granted (the handle's, for a reference by handle)
   */
  public record Referenced<T extends KernelObject>(NtStatus status, T object, int grantedAccess) {
    static <T extends KernelObject> Referenced<T> failed(NtStatus status) {
      return new Referenced<>(status, null, 0);
    }

    /** Whether the reference was taken. */
    public boolean isSuccess() {
      return status.isSuccess() && object != null;
    }
  }

  /**
   * Boots the object manager with its types and root directories.
   *
   * @param systemToken the System process's token, used for kernel-internal calls
   * @param directorySecurity the descriptor given to the namespace's directories
   */
  public ObjectManager(Token systemToken, SecurityDescriptor directorySecurity) {
    this.kernelCaller = new KernelCaller(kernelHandles, systemToken);
    this.typeType =
        ObjectType.typeOfTypes(
            ObjectType.builder("Type")
                .genericMapping(new GenericMapping(0x20000, 0x20000, 0x20000, 0xF0001))
                .validAccessMask(0xF0001)
                .defaultSecurity(directorySecurity));
    this.directoryType =
        newType(
            ObjectType.builder("Directory")
                .genericMapping(new GenericMapping(0x20003, 0x2000C, 0x20003, 0xF000F))
                .validAccessMask(AccessMask.DIRECTORY_ALL_ACCESS)
                .defaultSecurity(directorySecurity));
    this.symbolicLinkType =
        newType(
            ObjectType.builder("SymbolicLink")
                .genericMapping(new GenericMapping(0x20001, 0x20000, 0x20001, 0xF0001))
                .validAccessMask(AccessMask.SYMBOLIC_LINK_ALL_ACCESS)
                .defaultSecurity(directorySecurity));
    this.root = new Directory(directoryType, true);
    root.markPermanent();
    root.setSecurityDescriptor(directorySecurity);
    createKernelDirectory("\\ObjectTypes");
    for (ObjectType type : List.of(typeType, directoryType, symbolicLinkType)) {
      insertType(type);
    }
    this.globalDosDevices = createKernelDirectory("\\GLOBAL??");
    createKernelSymbolicLink("\\DosDevices", DOS_DEVICES_PREFIX);
    createKernelDirectory("\\Device");
  }

  private ObjectType newType(ObjectType.Builder builder) {
    return ObjectType.create(builder, typeType);
  }

  // ---------------------------------------------------------------------------------------------
  // Types and well-known objects

  /**
   * Creates an object type and names it in {@code \ObjectTypes}. Models {@code ObCreateObjectType}
   * (partial).
   *
   * @throws IllegalStateException if a type of that name exists (a boot-order bug)
   */
  public ObjectType createType(ObjectType.Builder builder) {
    ObjectType type = newType(builder);
    insertType(type);
    return type;
  }

  private void insertType(ObjectType type) {
    NtStatus status =
        insertObject(
                type,
                ObjectAttributes.of("\\ObjectTypes\\" + type.typeName(), ObjectAttributes.OBJ_PERMANENT),
                null,
                0,
                kernelCaller,
                false,
                true)
            .status();
    if (!status.isSuccess()) {
      throw new IllegalStateException("cannot name type " + type.typeName() + ": " + status);
    }
  }

  /** The type of object types. */
  public ObjectType typeType() {
    return typeType;
  }

  /** The Directory type. */
  public ObjectType directoryType() {
    return directoryType;
  }

  /** The SymbolicLink type. */
  public ObjectType symbolicLinkType() {
    return symbolicLinkType;
  }

  /** The root directory {@code \}. */
  public Directory rootDirectory() {
    return root;
  }

  /** {@code \GLOBAL??}, the directory {@code \??} reaches. */
  public Directory dosDevicesDirectory() {
    return globalDosDevices;
  }

  /** The System process's table of kernel handles. */
  public HandleTable kernelHandleTable() {
    return kernelHandles;
  }

  /** A kernel-mode caller in the System process, for the kernel's own calls. */
  public Caller kernelCaller() {
    return kernelCaller;
  }

  /**
   * Creates a permanent directory at boot. Models what {@code IopCreateRootDirectories} and
   * {@code ObInitSystem} do.
   *
   * @throws IllegalStateException if it cannot be created (a boot-order bug)
   */
  public Directory createKernelDirectory(String path) {
    Directory directory = new Directory(directoryType, false);
    NtStatus status =
        insertObject(
                directory,
                ObjectAttributes.of(path, ObjectAttributes.OBJ_PERMANENT),
                null,
                0,
                kernelCaller,
                false,
                true)
            .status();
    if (!status.isSuccess()) {
      throw new IllegalStateException("cannot create directory " + path + ": " + status);
    }
    directory.dereference();
    return directory;
  }

  /**
   * Creates a permanent symbolic link from kernel mode. Models {@code IoCreateSymbolicLink} as the
   * object manager sees it (full).
   */
  public NtStatus createKernelSymbolicLink(String path, String target) {
    SymbolicLink link = new SymbolicLink(symbolicLinkType, target);
    return insertObject(
            link,
            ObjectAttributes.of(path, ObjectAttributes.OBJ_PERMANENT),
            null,
            0,
            kernelCaller,
            false,
            false)
        .status();
  }

  // ---------------------------------------------------------------------------------------------
  // Inserting objects

  /**
   * Inserts a new object: names it (if the attributes carry a name) and optionally opens a handle
   * to it. Models {@code ObInsertObject} (partial).
   *
   * <p>The creator's reference (the one every new object starts with) is consumed: on success it
   * is kept for the caller when {@code keepReference} is set and dropped otherwise; on any failure
   * it is dropped, which destroys the object unless something else referenced it (B45). With
   * {@code OBJ_OPENIF} and an existing object of the same type, the new object is destroyed, a
   * handle to the existing one is returned with {@code STATUS_OBJECT_NAME_EXISTS}, and
   * {@code keepReference} is ignored.
   *
   * @param object a new object carrying only its creator's reference
   * @param attributes the name and {@code OBJ_*} flags, or null for an unnamed object
   * @param descriptor the security descriptor, or null for the type's default
   * @param desiredAccess the access for the new handle
   * @param caller who inserts
   * @param createHandle whether to open a handle to the object
   * @param keepReference whether the caller keeps the creator's reference on success
   */
  public OpenResult insertObject(
      KernelObject object,
      ObjectAttributes attributes,
      SecurityDescriptor descriptor,
      int desiredAccess,
      Caller caller,
      boolean createHandle,
      boolean keepReference) {
    Objects.requireNonNull(object, "object");
    ObjectType type = object.type();
    int attrs = attributes == null ? 0 : effectiveAttributes(attributes.attributes(), caller);
    NtStatus check = checkAttributes(attrs, type, caller);
    if (!check.isSuccess()) {
      object.dereference();
      return OpenResult.failed(check);
    }
    object.setSecurityDescriptor(descriptor != null ? descriptor : type.defaultSecurity());
    if ((attrs & ObjectAttributes.OBJ_EXCLUSIVE) != 0) {
      object.setExclusive(true);
    }
    boolean named = attributes != null && attributes.objectName() != null
        && (attributes.objectName().length() > 0 || !attributes.rootDirectory().isNull());
    NtStatus status = STATUS_SUCCESS;
    if (named) {
      NamedInsert outcome = insertName(object, attributes, attrs, caller);
      if (outcome.existing != null) {
        object.dereference();
        return openExisting(outcome.existing, attrs, desiredAccess, caller);
      }
      if (!outcome.status.isSuccess()) {
        object.dereference();
        return OpenResult.failed(outcome.status);
      }
    } else if ((attrs & ObjectAttributes.OBJ_PERMANENT) != 0) {
      object.markPermanent();
    }
    Handle handle = Handle.NULL;
    if (createHandle) {
      int granted = type.genericMapping().map(desiredAccess) & grantableMask(type);
      OpenResult opened = createHandle(object, granted, attrs, caller);
      if (!opened.status().isSuccess()) {
        undoInsert(object);
        return opened;
      }
      handle = opened.handle();
    } else {
      deleteNameCheck(object);
    }
    if (!keepReference) {
      object.dereference();
    }
    return new OpenResult(status, handle);
  }

  private void undoInsert(KernelObject object) {
    removeName(object);
    if (object.clearPermanent()) {
      object.dereference();
    }
    object.dereference();
  }

  private record NamedInsert(NtStatus status, KernelObject existing) {}

  private NamedInsert insertName(
      KernelObject object, ObjectAttributes attributes, int attrs, Caller caller) {
    UnicodeString name = attributes.objectName();
    Referenced<KernelObject> start = startOfName(attributes.rootDirectory(), name, caller, false);
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
      String remaining = startObject == root ? stripRoot(path) : path;
      for (int reparses = 0; reparses <= MAX_REPARSE; reparses++) {
        namespaceLock.writeLock().lock();
        String reparse;
        try {
          if (directory == root && isDosDevicesPath(remaining)) {
            directory = globalDosDevices;
            remaining = stripDosDevices(remaining);
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
          namespaceLock.writeLock().unlock();
        }
        NtStatus syntax = UnicodeString.of(reparse).validateObjectPath();
        if (!syntax.isSuccess()) {
          return new NamedInsert(syntax, null);
        }
        directory = root;
        remaining = stripRoot(reparse);
      }
      return new NamedInsert(STATUS_OBJECT_NAME_NOT_FOUND, null);
    } finally {
      startObject.dereference();
    }
  }

  private OpenResult openExisting(KernelObject existing, int attrs, int desiredAccess, Caller caller) {
    try {
      ObjectSecurity.Decision decision =
          security.check(existing, desiredAccess, caller, forceCheck(attrs));
      if (!decision.status().isSuccess()) {
        return OpenResult.failed(decision.status());
      }
      OpenResult opened = createHandle(existing, decision.grantedAccess(), attrs, caller);
      return opened.status().isSuccess()
          ? new OpenResult(STATUS_OBJECT_NAME_EXISTS, opened.handle())
          : opened;
    } finally {
      existing.dereference();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Looking objects up

  /**
   * Looks an object up by name and references it. Models {@code ObReferenceObjectByName} (full
   * for the namespace, symbolic links and parse procedures).
   *
   * @param attributes the name (absolute, or relative to its root handle) and flags
   * @param expectedType the type wanted, or null for any
   * @param desiredAccess the access to check for (user mode, or {@code OBJ_FORCE_ACCESS_CHECK})
   * @param caller who asks
   * @param context what a parse procedure receives, or null
   */
  @SuppressWarnings("unchecked")
  public <T extends KernelObject> Referenced<T> referenceByName(
      ObjectAttributes attributes,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    if (attributes == null || attributes.objectName() == null) {
      return Referenced.failed(STATUS_OBJECT_NAME_INVALID);
    }
    int attrs = effectiveAttributes(attributes.attributes(), caller);
    Referenced<KernelObject> found = lookup(attributes, attrs, expectedType, desiredAccess, caller, context);
    return (Referenced<T>) found;
  }

  /** {@link #referenceByName} for an absolute name from kernel mode. */
  public <T extends KernelObject> Referenced<T> referenceByName(String absoluteName, ObjectType expectedType) {
    return referenceByName(ObjectAttributes.of(absoluteName), expectedType, 0, kernelCaller, null);
  }

  /**
   * Looks an object up by name and opens a handle to it. Models {@code ObOpenObjectByName} (full
   * for the namespace, symbolic links and parse procedures).
   */
  public OpenResult openByName(
      ObjectAttributes attributes,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    if (attributes == null) {
      return OpenResult.failed(STATUS_INVALID_PARAMETER);
    }
    if (attributes.objectName() == null) {
      return OpenResult.failed(STATUS_OBJECT_NAME_INVALID);
    }
    int attrs = effectiveAttributes(attributes.attributes(), caller);
    NtStatus check = checkAttributes(attrs, expectedType, caller);
    if (!check.isSuccess()) {
      return OpenResult.failed(check);
    }
    Referenced<KernelObject> found = lookup(attributes, attrs, expectedType, desiredAccess, caller, context);
    if (!found.isSuccess()) {
      return OpenResult.failed(found.status());
    }
    try {
      OpenResult opened = createHandle(found.object(), found.grantedAccess(), attrs, caller);
      return opened.status().isSuccess() ? new OpenResult(found.status(), opened.handle()) : opened;
    } finally {
      found.object().dereference();
    }
  }

  /**
   * References the object behind a handle, checking its type and, for user mode, that the
   * handle's granted access covers {@code desiredAccess}. Models {@code ObReferenceObjectByHandle}
   * (full).
   */
  @SuppressWarnings("unchecked")
  public <T extends KernelObject> Referenced<T> referenceByHandle(
      Handle handle, int desiredAccess, ObjectType expectedType, Caller caller) {
    HandleTable table = tableOf(handle, caller);
    if (table == null) {
      return Referenced.failed(STATUS_INVALID_HANDLE);
    }
    HandleTable.Entry entry = table.lookupAndReference(handle);
    if (entry == null) {
      return Referenced.failed(STATUS_INVALID_HANDLE);
    }
    KernelObject object = entry.object();
    if (expectedType != null && object.type() != expectedType) {
      object.dereference();
      return Referenced.failed(STATUS_OBJECT_TYPE_MISMATCH);
    }
    if (caller.isUserMode()) {
      int wanted = object.type().genericMapping().map(desiredAccess) & ~AccessMask.MAXIMUM_ALLOWED;
      if ((wanted & ~entry.grantedAccess()) != 0) {
        object.dereference();
        return Referenced.failed(STATUS_ACCESS_DENIED);
      }
    }
    return new Referenced<>(STATUS_SUCCESS, (T) object, entry.grantedAccess());
  }

  private Referenced<KernelObject> lookup(
      ObjectAttributes attributes,
      int attrs,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    UnicodeString name = attributes.objectName();
    Referenced<KernelObject> start = startOfName(attributes.rootDirectory(), name, caller, true);
    if (!start.isSuccess()) {
      return start;
    }
    String completeName = name.text();
    KernelObject current = start.object();
    String remaining = current == root && attributes.rootDirectory().isNull()
        ? stripRoot(completeName) : completeName;
    try {
      for (int reparses = 0; reparses <= MAX_REPARSE; reparses++) {
        Step step = step(current, remaining, attrs, expectedType, caller);
        if (step.found != null) {
          return finish(step.found, null, attrs, expectedType, desiredAccess, caller);
        }
        String reparse;
        if (step.parseObject != null) {
          ParseProcedure.Result result;
          try {
            result = step.parseObject.type().parseProcedure().parse(
                new ParseProcedure.Request(step.parseObject, expectedType, completeName,
                    step.remaining, attrs, desiredAccess, caller, context));
          } finally {
            step.parseObject.dereference();
          }
          if (!result.status().equals(STATUS_REPARSE)) {
            if (!result.status().isSuccess() || result.object() == null) {
              return Referenced.failed(result.status().isSuccess() ? STATUS_OBJECT_NAME_NOT_FOUND : result.status());
            }
            return finish(result.object(), result, attrs, expectedType, desiredAccess, caller);
          }
          reparse = result.reparseName();
        } else if (step.reparseName != null) {
          reparse = step.reparseName;
        } else {
          return Referenced.failed(step.status);
        }
        // A symbolic link or a parse procedure named another absolute name: start again at \.
        // Its components are checked as the walk reaches them (a trailing \ may be a device's).
        if (!reparse.startsWith("\\")) {
          return Referenced.failed(STATUS_OBJECT_PATH_SYNTAX_BAD);
        }
        completeName = reparse;
        current.dereference();
        current = root;
        root.reference();
        remaining = stripRoot(completeName);
      }
      return Referenced.failed(STATUS_OBJECT_NAME_NOT_FOUND);
    } finally {
      current.dereference();
    }
  }

  private Referenced<KernelObject> finish(
      KernelObject object,
      ParseProcedure.Result parsed,
      int attrs,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller) {
    if (expectedType != null && object.type() != expectedType) {
      object.dereference();
      return Referenced.failed(STATUS_OBJECT_TYPE_MISMATCH);
    }
    if (parsed != null) {
      return new Referenced<>(parsed.status(), object, parsed.grantedAccess());
    }
    ObjectSecurity.Decision decision = security.check(object, desiredAccess, caller, forceCheck(attrs));
    if (!decision.status().isSuccess()) {
      object.dereference();
      return Referenced.failed(decision.status());
    }
    return new Referenced<>(STATUS_SUCCESS, object, decision.grantedAccess());
  }

  /** One step of a lookup: found, hand over to a parse procedure, reparse, or fail. */
  private record Step(
      NtStatus status, KernelObject found, KernelObject parseObject, String remaining, String reparseName) {}

  private Step step(KernelObject current, String remaining, int attrs, ObjectType expectedType, Caller caller) {
    namespaceLock.readLock().lock();
    try {
      if (!(current instanceof Directory directory)) {
        if (current.type().parseProcedure() != null) {
          current.reference();
          return new Step(null, null, current, remaining, null);
        }
        if (remaining.isEmpty()) {
          current.reference();
          return new Step(STATUS_SUCCESS, current, null, null, null);
        }
        return new Step(STATUS_OBJECT_TYPE_MISMATCH, null, null, null, null);
      }
      if (directory == root && isDosDevicesPath(remaining)) {
        directory = globalDosDevices;
        remaining = stripDosDevices(remaining);
      }
      if (remaining.isEmpty()) {
        directory.reference();
        return new Step(STATUS_SUCCESS, directory, null, null, null);
      }
      while (true) {
        // As ObpLookupObjectName: what follows a component keeps its separator, so a parse
        // procedure sees "\\x" (or a lone "\\") and a link's target is joined to it as it is.
        int slash = remaining.indexOf('\\');
        String component = slash < 0 ? remaining : remaining.substring(0, slash);
        String rest = slash < 0 ? "" : remaining.substring(slash);
        if (component.isEmpty()) {
          return new Step(STATUS_OBJECT_NAME_INVALID, null, null, null, null);
        }
        KernelObject object = directory.lookupLocked(component);
        if (object == null) {
          return new Step(rest.isEmpty() ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND,
              null, null, null, null);
        }
        if (object instanceof SymbolicLink link) {
          boolean openLinkItself = rest.isEmpty()
              && ((attrs & ObjectAttributes.OBJ_OPENLINK) != 0 || expectedType == symbolicLinkType);
          if (!openLinkItself) {
            String target = link.target();
            String joined = rest.isEmpty() ? target
                : target.endsWith("\\") ? target + rest.substring(1) : target + rest;
            return new Step(null, null, null, null, joined);
          }
          object.reference();
          return new Step(STATUS_SUCCESS, object, null, null, null);
        }
        boolean parseHere = object.type().parseProcedure() != null
            && (!rest.isEmpty() || expectedType != object.type());
        if (parseHere) {
          object.reference();
          return new Step(null, null, object, rest, null);
        }
        if (rest.isEmpty()) {
          object.reference();
          return new Step(STATUS_SUCCESS, object, null, null, null);
        }
        if (!(object instanceof Directory next)) {
          return new Step(STATUS_OBJECT_TYPE_MISMATCH, null, null, null, null);
        }
        if (!security.mayTraverse(next, caller)) {
          return new Step(STATUS_ACCESS_DENIED, null, null, null, null);
        }
        directory = next;
        // Past the separator: a trailing or doubled \\ leaves an empty component, refused above.
        remaining = rest.substring(1);
      }
    } finally {
      namespaceLock.readLock().unlock();
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

  /**
   * Validates a name and references where its lookup starts: the root for an absolute name, or
   * the object behind the root handle for a relative one.
   */
  private Referenced<KernelObject> startOfName(
      Handle rootHandle, UnicodeString name, Caller caller, boolean lookup) {
    if (name == null) {
      return Referenced.failed(STATUS_OBJECT_NAME_INVALID);
    }
    if (rootHandle.isNull()) {
      NtStatus valid = lookup ? validateLookupPath(name) : name.validateObjectPath();
      if (!valid.isSuccess()) {
        return Referenced.failed(valid);
      }
      root.reference();
      return new Referenced<>(STATUS_SUCCESS, root, 0);
    }
    if (!name.isReadable()) {
      return Referenced.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    if ((name.length() & 1) != 0 || name.length() > UnicodeString.MAX_NAME_LENGTH) {
      return Referenced.failed(STATUS_OBJECT_NAME_INVALID);
    }
    String text = name.text();
    boolean malformed = text.startsWith("\\") || text.contains("\\\\") || text.endsWith("\\");
    if (!malformed) {
      return referenceByHandle(rootHandle, 0, null, caller);
    }
    if (lookup) {
      // A File root takes the name whole, separators and all (NT's ObpLookupObjectName hands it
      // to IopParseFile); only a lookup needs the root's type to know.
      Referenced<KernelObject> start = referenceByHandle(rootHandle, 0, null, caller);
      if (start.isSuccess() && start.object().type().parsesWholeRelativeNames()) {
        return start;
      }
      if (start.isSuccess()) {
        start.object().dereference();
      }
    }
    return Referenced.failed(text.startsWith("\\") ? STATUS_OBJECT_PATH_SYNTAX_BAD : STATUS_OBJECT_NAME_INVALID);
  }

  /**
   * The checks of an absolute name before a lookup walks it: readable, whole characters, not too
   * long, rooted. An empty component (a doubled or trailing {@code \}) is refused by the walk
   * when it reaches it inside the namespace, but goes to a device's parse procedure past it, as
   * in NT ({@code \??\Dev\} opens Dev with the name {@code \}).
   */
  private static NtStatus validateLookupPath(UnicodeString name) {
    if (!name.isReadable()) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if ((name.length() & 1) != 0 || name.length() > UnicodeString.MAX_NAME_LENGTH) {
      return STATUS_OBJECT_NAME_INVALID;
    }
    return name.text().startsWith("\\") ? STATUS_SUCCESS : STATUS_OBJECT_PATH_SYNTAX_BAD;
  }

  // ---------------------------------------------------------------------------------------------
  // Handles

  private OpenResult createHandle(KernelObject object, int grantedAccess, int attrs, Caller caller) {
    HandleTable table = tableFor(attrs, caller);
    if (table.isRunDown()) {
      return OpenResult.failed(NtStatus.STATUS_PROCESS_IS_TERMINATING);
    }
    // Count first: once the entry is in the table another thread may close it.
    if (object.incrementHandleCount(table) == KernelObject.NtStatusOrOk.ACCESS_DENIED) {
      return OpenResult.failed(STATUS_ACCESS_DENIED);
    }
    HandleTable.Entry entry = new HandleTable.Entry(object, grantedAccess, handleAttributes(attrs));
    Handle handle = table.add(entry);
    if (handle == null) {
      closeEntry(entry, table);
      return OpenResult.failed(STATUS_INSUFFICIENT_RESOURCES);
    }
    return new OpenResult(STATUS_SUCCESS, handle);
  }

  /**
   * Closes a handle. Models {@code NtClose} / {@code ObCloseHandle} (full): the type's close
   * procedure runs, the handle count drops (a temporary object loses its name with its last
   * handle), then the handle's pointer reference is dropped.
   */
  public NtStatus close(Handle handle, Caller caller) {
    HandleTable table = tableOf(handle, caller);
    if (table == null) {
      return STATUS_INVALID_HANDLE;
    }
    HandleTable.Entry entry = table.remove(handle, true);
    if (entry == null) {
      return STATUS_INVALID_HANDLE;
    }
    if ((entry.attributes() & HandleTable.PROTECT_FROM_CLOSE) != 0) {
      return STATUS_HANDLE_NOT_CLOSABLE;
    }
    closeEntry(entry, table);
    return STATUS_SUCCESS;
  }

  private void closeEntry(HandleTable.Entry entry, HandleTable table) {
    KernelObject object = entry.object();
    long left = object.decrementHandleCount();
    object.type().runCloseProcedure(object, table, entry.grantedAccess(), left);
    if (left == 0) {
      deleteNameCheck(object);
    }
    object.dereference();
  }

  /**
   * Closes every handle of a table and refuses new ones: the object part of process rundown.
   * Models {@code ObKillProcess} (full).
   *
   * @return how many handles were closed
   */
  public int runDown(HandleTable table) {
    List<HandleTable.Listed> all = table.takeAllForRundown();
    RuntimeException first = null;
    for (HandleTable.Listed listed : all) {
      try {
        closeEntry(listed.entry(), table);
      } catch (RuntimeException e) {
        // One close that unwound (a driver's cleanup ran into a halted kernel) does not keep the
        // process's other handles open; the first failure still reaches the caller.
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return all.size();
  }

  /**
   * Duplicates a handle from one process's table into another's. Models {@code NtDuplicateObject}
   * (partial: tables stand for processes).
   */
  public OpenResult duplicate(
      HandleTable sourceTable, Handle source, HandleTable targetTable, int desiredAccess,
      int handleAttributes, int options, Caller caller) {
    if (sourceTable == null || targetTable == null || tableKindMismatch(source, sourceTable, caller)) {
      return OpenResult.failed(STATUS_INVALID_HANDLE);
    }
    HandleTable.Entry entry = sourceTable.lookupAndReference(source);
    if (entry == null) {
      return OpenResult.failed(STATUS_INVALID_HANDLE);
    }
    KernelObject object = entry.object();
    try {
      int granted;
      if ((options & DUPLICATE_SAME_ACCESS) != 0) {
        granted = entry.grantedAccess();
      } else {
        int wanted = object.type().genericMapping().map(desiredAccess) & grantableMask(object.type());
        if (caller.isUserMode() && (wanted & ~entry.grantedAccess()) != 0) {
          ObjectSecurity.Decision decision = security.check(object, desiredAccess, caller, false);
          if (!decision.status().isSuccess()) {
            return OpenResult.failed(decision.status());
          }
          granted = decision.grantedAccess();
        } else {
          granted = wanted;
        }
      }
      int attrs = (options & DUPLICATE_SAME_ATTRIBUTES) != 0 ? entry.attributes() : handleAttributes;
      if (object.incrementHandleCount(targetTable) == KernelObject.NtStatusOrOk.ACCESS_DENIED) {
        return OpenResult.failed(STATUS_ACCESS_DENIED);
      }
      HandleTable.Entry copy = new HandleTable.Entry(object, granted, attrs);
      Handle handle = targetTable.add(copy);
      if (handle == null) {
        closeEntry(copy, targetTable);
        return OpenResult.failed(STATUS_INSUFFICIENT_RESOURCES);
      }
      if ((options & DUPLICATE_CLOSE_SOURCE) != 0) {
        HandleTable.Entry removed = sourceTable.remove(source, false);
        if (removed != null) {
          closeEntry(removed, sourceTable);
        }
      }
      return new OpenResult(STATUS_SUCCESS, handle);
    } finally {
      object.dereference();
    }
  }

  private boolean tableKindMismatch(Handle handle, HandleTable table, Caller caller) {
    return handle.isKernelHandle() != table.isKernel() || (handle.isKernelHandle() && caller.isUserMode());
  }

  /**
   * Sets a handle's protect-from-close and inherit flags. Models {@code NtSetInformationObject}
   * with ObjectHandleFlagInformation (full).
   */
  public NtStatus setHandleAttributes(Handle handle, int attributes, Caller caller) {
    HandleTable table = tableOf(handle, caller);
    if (table == null || !table.setAttributes(handle, attributes & (HandleTable.PROTECT_FROM_CLOSE | HandleTable.INHERIT))) {
      return STATUS_INVALID_HANDLE;
    }
    return STATUS_SUCCESS;
  }

  // ---------------------------------------------------------------------------------------------
  // Permanent and temporary

  /**
   * Makes an object temporary: its name goes now if it has no handles, else with its last handle.
   * Models {@code ObMakeTemporaryObject} (full).
   */
  public void makeTemporary(KernelObject object) {
    if (object.clearPermanent()) {
      deleteNameCheck(object);
      object.dereference();
    }
  }

  /**
   * Makes the object behind a handle temporary; needs {@code DELETE} access on the handle. Models
   * {@code NtMakeTemporaryObject} (full).
   */
  public NtStatus ntMakeTemporaryObject(Handle handle, Caller caller) {
    Referenced<KernelObject> found = referenceByHandle(handle, AccessMask.DELETE, null, caller);
    if (!found.isSuccess()) {
      return found.status();
    }
    try {
      makeTemporary(found.object());
      return STATUS_SUCCESS;
    } finally {
      found.object().dereference();
    }
  }

  /**
   * Makes the object behind a handle permanent; a user-mode caller needs
   * {@code SeCreatePermanentPrivilege}. Models {@code NtMakePermanentObject} (full).
   */
  public NtStatus ntMakePermanentObject(Handle handle, Caller caller) {
    if (caller.isUserMode() && !security.hasPrivilege(caller, ObjectSecurity.CREATE_PERMANENT)) {
      return STATUS_PRIVILEGE_NOT_HELD;
    }
    Referenced<KernelObject> found = referenceByHandle(handle, 0, null, caller);
    if (!found.isSuccess()) {
      return found.status();
    }
    found.object().markPermanent();
    found.object().dereference();
    return STATUS_SUCCESS;
  }

  /** {@code ObpDeleteNameCheck}: a temporary object with no handles leaves the namespace. */
  private void deleteNameCheck(KernelObject object) {
    if (object.directory() == null) {
      return;
    }
    namespaceLock.writeLock().lock();
    try {
      if (object.handleCount() == 0 && !object.isPermanent() && object.directory() != null) {
        object.directory().removeLocked(object);
      }
    } finally {
      namespaceLock.writeLock().unlock();
    }
  }

  private void removeName(KernelObject object) {
    namespaceLock.writeLock().lock();
    try {
      Directory directory = object.directory();
      if (directory != null) {
        directory.removeLocked(object);
      }
    } finally {
      namespaceLock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Directories and symbolic links: the system services

  /** Creates an object directory. Models {@code NtCreateDirectoryObject} (full). */
  public OpenResult ntCreateDirectoryObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return insertObject(new Directory(directoryType, false), attributes, null, desiredAccess, caller, true, false);
  }

  /** Opens an object directory. Models {@code NtOpenDirectoryObject} (full). */
  public OpenResult ntOpenDirectoryObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return openByName(attributes, directoryType, desiredAccess, caller, null);
  }

  /**
   * Lists a directory through a handle opened with {@code DIRECTORY_QUERY}, sorted by name.
   * Models {@code NtQueryDirectoryObject} (partial: the whole listing at once, in name order
   * rather than hash order).
   */
  public Listing ntQueryDirectoryObject(Caller caller, Handle directoryHandle) {
    Referenced<Directory> found =
        referenceByHandle(directoryHandle, AccessMask.DIRECTORY_QUERY, directoryType, caller);
    if (!found.isSuccess()) {
      return new Listing(found.status(), List.of());
    }
    try {
      return new Listing(STATUS_SUCCESS, list(found.object()));
    } finally {
      found.object().dereference();
    }
  }

  /**
   * The header of one entry of a directory, looked up without following a link or calling a parse
   * procedure: what an object browser such as WinObj shows. Needs {@code DIRECTORY_QUERY} on the
   * directory handle. Models {@code NtQueryDirectoryObject} followed by {@code NtQueryObject}
   * (partial).
   */
  public EntryInfo queryEntry(Caller caller, Handle directoryHandle, String name) {
    Referenced<Directory> found =
        referenceByHandle(directoryHandle, AccessMask.DIRECTORY_QUERY, directoryType, caller);
    if (!found.isSuccess()) {
      return new EntryInfo(found.status(), null);
    }
    KernelObject entry;
    try {
      namespaceLock.readLock().lock();
      try {
        entry = found.object().lookupLocked(name);
        if (entry != null) {
          entry.reference();
        }
      } finally {
        namespaceLock.readLock().unlock();
      }
    } finally {
      found.object().dereference();
    }
    if (entry == null) {
      return new EntryInfo(STATUS_OBJECT_NAME_NOT_FOUND, null);
    }
    try {
      return new EntryInfo(STATUS_SUCCESS, describe(entry, 0, 0));
    } finally {
      entry.dereference();
    }
  }

  /** The entries of a directory, sorted by name without case. */
  public List<DirectoryEntry> list(Directory directory) {
    List<KernelObject> objects;
    namespaceLock.readLock().lock();
    try {
      objects = directory.entriesLocked();
    } finally {
      namespaceLock.readLock().unlock();
    }
    List<DirectoryEntry> entries = new ArrayList<>(objects.size());
    for (KernelObject object : objects) {
      String name = object.name().orElse(null);
      if (name != null) {
        String target = object instanceof SymbolicLink link ? link.target() : null;
        entries.add(new DirectoryEntry(name, object.type().typeName(), target));
      }
    }
    entries.sort(Comparator.comparing((DirectoryEntry e) -> Names.upcase(e.name())).thenComparing(DirectoryEntry::name));
    return entries;
  }

  /** How many entries a directory holds. */
  public int size(Directory directory) {
    namespaceLock.readLock().lock();
    try {
      return directory.sizeLocked();
    } finally {
      namespaceLock.readLock().unlock();
    }
  }

  /**
   * Creates a symbolic link. Models {@code NtCreateSymbolicLinkObject} (full). The target must be
   * a well-formed absolute name.
   */
  public OpenResult ntCreateSymbolicLinkObject(
      Caller caller, int desiredAccess, ObjectAttributes attributes, UnicodeString target) {
    if (target == null || !target.isReadable()) {
      return OpenResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    if ((target.length() & 1) != 0 || target.length() > target.maximumLength()) {
      return OpenResult.failed(STATUS_INVALID_PARAMETER);
    }
    return insertObject(new SymbolicLink(symbolicLinkType, target.text()), attributes, null,
        desiredAccess, caller, true, false);
  }

  /** Opens a symbolic link itself. Models {@code NtOpenSymbolicLinkObject} (full). */
  public OpenResult ntOpenSymbolicLinkObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return openByName(attributes, symbolicLinkType, desiredAccess, caller, null);
  }

  /** A link's target. Models {@code NtQuerySymbolicLinkObject} (full). */
  public LinkTarget ntQuerySymbolicLinkObject(Caller caller, Handle linkHandle) {
    Referenced<SymbolicLink> found =
        referenceByHandle(linkHandle, AccessMask.SYMBOLIC_LINK_QUERY, symbolicLinkType, caller);
    if (!found.isSuccess()) {
      return new LinkTarget(found.status(), null);
    }
    try {
      return new LinkTarget(STATUS_SUCCESS, found.object().target());
    } finally {
      found.object().dereference();
    }
  }

  /**
   * What a handle refers to: type, name, counts and the handle's access. Models
   * {@code NtQueryObject} with ObjectBasicInformation, ObjectNameInformation and
   * ObjectTypeInformation together (partial: no caller buffer, so no length statuses). The name is
   * the object's place in the namespace, unless its type has a {@link QueryNameProcedure}: then
   * that procedure's answer, failures included (a file's driver is asked, as NT's
   * {@code IopQueryName} does), which is called with no lock held.
   */
  public ObjectQuery ntQueryObject(Caller caller, Handle handle) {
    HandleTable table = tableOf(handle, caller);
    HandleTable.Entry entry = table == null ? null : table.lookupAndReference(handle);
    if (entry == null) {
      return ObjectQuery.failed(STATUS_INVALID_HANDLE);
    }
    KernelObject object = entry.object();
    try {
      QueryNameProcedure procedure = object.type().queryNameProcedure();
      ObjectInfo header = describe(object, entry.grantedAccess(), entry.attributes());
      if (procedure == null) {
        return new ObjectQuery(STATUS_SUCCESS, header, STATUS_SUCCESS);
      }
      QueryNameProcedure.Result named = procedure.queryName(object);
      return new ObjectQuery(STATUS_SUCCESS, header.withName(named.name()), named.status());
    } finally {
      object.dereference();
    }
  }

  /** The header of an object the caller holds a reference to. */
  public ObjectInfo describe(KernelObject object, int grantedAccess, int handleAttributes) {
    return new ObjectInfo(object.type().typeName(), object.fullName().orElse(""),
        object.pointerCount(), object.handleCount(), object.isPermanent(), object.isExclusive(),
        grantedAccess, handleAttributes);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private int effectiveAttributes(int attributes, Caller caller) {
    // A user-mode caller cannot ask for a kernel handle: NT drops the flag during capture.
    return caller.isUserMode() ? attributes & ~ObjectAttributes.OBJ_KERNEL_HANDLE : attributes;
  }

  private NtStatus checkAttributes(int attrs, ObjectType type, Caller caller) {
    if ((attrs & ~ObjectAttributes.OBJ_VALID_ATTRIBUTES) != 0) {
      return STATUS_INVALID_PARAMETER;
    }
    if (type != null && (attrs & type.invalidAttributes()) != 0) {
      return STATUS_INVALID_PARAMETER;
    }
    if ((attrs & ObjectAttributes.OBJ_PERMANENT) != 0 && caller.isUserMode()
        && !security.hasPrivilege(caller, ObjectSecurity.CREATE_PERMANENT)) {
      return STATUS_PRIVILEGE_NOT_HELD;
    }
    return STATUS_SUCCESS;
  }

  private static boolean forceCheck(int attrs) {
    return (attrs & ObjectAttributes.OBJ_FORCE_ACCESS_CHECK) != 0;
  }

  private static int handleAttributes(int attrs) {
    return (attrs & ObjectAttributes.OBJ_INHERIT) != 0 ? HandleTable.INHERIT : 0;
  }

  private static int grantableMask(ObjectType type) {
    return type.validAccessMask() | AccessMask.ACCESS_SYSTEM_SECURITY;
  }

  private HandleTable tableFor(int attrs, Caller caller) {
    boolean kernelHandle = (attrs & ObjectAttributes.OBJ_KERNEL_HANDLE) != 0
        && caller.previousMode() == ProcessorMode.KERNEL;
    return kernelHandle ? kernelHandles : caller.handleTable();
  }

  private HandleTable tableOf(Handle handle, Caller caller) {
    if (handle == null || handle.isNull()) {
      return null;
    }
    if (handle.isKernelHandle()) {
      return caller.isUserMode() ? null : kernelHandles;
    }
    HandleTable table = caller.handleTable();
    return table.isKernel() ? null : table;
  }

  private static boolean isDosDevicesPath(String remaining) {
    return remaining.equals("??") || remaining.startsWith("??\\");
  }

  private static String stripDosDevices(String remaining) {
    // "??\\" keeps its separator, so the walk refuses the empty component after it.
    return remaining.length() <= 2 ? "" : remaining.length() == 3 ? "\\" : remaining.substring(3);
  }

  private static String stripRoot(String absolute) {
    return absolute.startsWith("\\") ? absolute.substring(1) : absolute;
  }

  /** The kernel's own calls: kernel mode, System process. */
  private record KernelCaller(HandleTable handleTable, Token token) implements Caller {
    @Override
    public ProcessorMode previousMode() {
      return ProcessorMode.KERNEL;
    }
  }
}
