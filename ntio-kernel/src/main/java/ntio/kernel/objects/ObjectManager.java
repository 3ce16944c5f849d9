package ntio.kernel.objects;

import ntio.api.ObjectQuery;
import java.util.List;
import ntio.api.DirectoryEntry;
import ntio.api.EntryInfo;
import ntio.api.LinkTarget;
import ntio.api.Listing;
import ntio.api.ObjectInfo;
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
 * <p>Implementation notes: this class is the facade. The work is done by package-private classes
 * named after NT's files: {@link Namespace} (the directories and their lock), {@link NameLookup}
 * and {@link NameInsertion} ({@code obname.c}), {@link ObjectCreation} ({@code ObInsertObject}),
 * {@link ObjectHandles} ({@code obhandle.c}), {@link ObjectLifetime} ({@code oblife.c}),
 * {@link DirectoryServices} ({@code obdir.c}), {@link SymbolicLinkServices} ({@code oblink.c})
 * and {@link ObjectInformation} ({@code NtQueryObject}). One read/write lock, {@link Namespace}'s, guards every directory of
 * the namespace and every object's name. Parse procedures (which may run driver code), delete
 * procedures and close procedures are always called with it released.
 */
public final class ObjectManager {

  /** {@code DUPLICATE_CLOSE_SOURCE}. */
  public static final int DUPLICATE_CLOSE_SOURCE = 0x1;
  /** {@code DUPLICATE_SAME_ACCESS}. */
  public static final int DUPLICATE_SAME_ACCESS = 0x2;
  /** {@code DUPLICATE_SAME_ATTRIBUTES}. */
  public static final int DUPLICATE_SAME_ATTRIBUTES = 0x4;

  private static final String DOS_DEVICES_PREFIX = "\\??";

  private final HandleTable kernelHandles = new HandleTable("System", true);
  private final Caller kernelCaller;
  private final ObjectType typeType;
  private final ObjectType directoryType;
  private final ObjectType symbolicLinkType;
  private final Namespace namespace;
  private final ObjectHandles handles;
  private final NameLookup names;
  private final ObjectCreation creation;
  private final ObjectLifetime lifetime;
  private final DirectoryServices directories;
  private final SymbolicLinkServices links;
  private final ObjectInformation information;

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
    Directory root = new Directory(directoryType, true);
    root.markPermanent();
    root.setSecurityDescriptor(directorySecurity);
    this.namespace = new Namespace(root, new Directory(directoryType, false));
    ObjectSecurity security = new ObjectSecurity();
    this.handles = new ObjectHandles(kernelHandles, security, namespace);
    this.names = new NameLookup(namespace, security, handles, symbolicLinkType);
    this.creation = new ObjectCreation(namespace, security, handles, names, kernelCaller);
    this.lifetime = new ObjectLifetime(namespace, security, handles);
    this.directories = new DirectoryServices(namespace, handles, names, creation, directoryType);
    this.links = new SymbolicLinkServices(handles, names, creation, symbolicLinkType);
    this.information = new ObjectInformation(handles);
    createKernelDirectory("\\ObjectTypes");
    for (ObjectType type : List.of(typeType, directoryType, symbolicLinkType)) {
      insertType(type);
    }
    directories.insertKernelDirectory(namespace.dosDevices(), "\\GLOBAL??");
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
    NtStatus status = creation.insertPermanent(type, "\\ObjectTypes\\" + type.typeName(), true);
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
    return namespace.root();
  }

  /** {@code \GLOBAL??}, the directory {@code \??} reaches. */
  public Directory dosDevicesDirectory() {
    return namespace.dosDevices();
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
    return directories.createKernelDirectory(path);
  }

  /**
   * Creates a permanent symbolic link from kernel mode. Models {@code IoCreateSymbolicLink} as the
   * object manager sees it (full).
   */
  public NtStatus createKernelSymbolicLink(String path, String target) {
    return links.createKernelSymbolicLink(path, target);
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
    return creation.insertObject(object, attributes, descriptor, desiredAccess, caller, createHandle, keepReference);
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
  public <T extends KernelObject> Referenced<T> referenceByName(
      ObjectAttributes attributes,
      ObjectType expectedType,
      int desiredAccess,
      Caller caller,
      ParseContext context) {
    return names.referenceByName(attributes, expectedType, desiredAccess, caller, context);
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
    return names.openByName(attributes, expectedType, desiredAccess, caller, context);
  }

  /**
   * References the object behind a handle, checking its type and, for user mode, that the
   * handle's granted access covers {@code desiredAccess}. Models {@code ObReferenceObjectByHandle}
   * (full).
   */
  public <T extends KernelObject> Referenced<T> referenceByHandle(
      Handle handle, int desiredAccess, ObjectType expectedType, Caller caller) {
    return handles.referenceByHandle(handle, desiredAccess, expectedType, caller);
  }

  // ---------------------------------------------------------------------------------------------
  // Handles

  /**
   * Closes a handle. Models {@code NtClose} / {@code ObCloseHandle} (full): the type's close
   * procedure runs, the handle count drops (a temporary object loses its name with its last
   * handle), then the handle's pointer reference is dropped.
   */
  public NtStatus close(Handle handle, Caller caller) {
    return handles.close(handle, caller);
  }

  /**
   * Closes every handle of a table and refuses new ones: the object part of process rundown.
   * Models {@code ObKillProcess} (full).
   *
   * @return how many handles were closed
   */
  public int runDown(HandleTable table) {
    return handles.runDown(table);
  }

  /**
   * Duplicates a handle from one process's table into another's. Models {@code NtDuplicateObject}
   * (partial: tables stand for processes).
   */
  public OpenResult duplicate(
      HandleTable sourceTable, Handle source, HandleTable targetTable, int desiredAccess,
      int handleAttributes, int options, Caller caller) {
    return handles.duplicate(sourceTable, source, targetTable, desiredAccess, handleAttributes, options, caller);
  }

  /**
   * Sets a handle's protect-from-close and inherit flags. Models {@code NtSetInformationObject}
   * with ObjectHandleFlagInformation (full).
   */
  public NtStatus setHandleAttributes(Handle handle, int attributes, Caller caller) {
    return handles.setHandleAttributes(handle, attributes, caller);
  }

  // ---------------------------------------------------------------------------------------------
  // Permanent and temporary

  /**
   * Makes an object temporary: its name goes now if it has no handles, else with its last handle.
   * Models {@code ObMakeTemporaryObject} (full).
   */
  public void makeTemporary(KernelObject object) {
    lifetime.makeTemporary(object);
  }

  /**
   * Makes the object behind a handle temporary; needs {@code DELETE} access on the handle. Models
   * {@code NtMakeTemporaryObject} (full).
   */
  public NtStatus ntMakeTemporaryObject(Handle handle, Caller caller) {
    return lifetime.ntMakeTemporaryObject(handle, caller);
  }

  /**
   * Makes the object behind a handle permanent; a user-mode caller needs
   * {@code SeCreatePermanentPrivilege}. Models {@code NtMakePermanentObject} (full).
   */
  public NtStatus ntMakePermanentObject(Handle handle, Caller caller) {
    return lifetime.ntMakePermanentObject(handle, caller);
  }

  // ---------------------------------------------------------------------------------------------
  // Directories and symbolic links: the system services

  /** Creates an object directory. Models {@code NtCreateDirectoryObject} (full). */
  public OpenResult ntCreateDirectoryObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return directories.ntCreateDirectoryObject(caller, desiredAccess, attributes);
  }

  /** Opens an object directory. Models {@code NtOpenDirectoryObject} (full). */
  public OpenResult ntOpenDirectoryObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return directories.ntOpenDirectoryObject(caller, desiredAccess, attributes);
  }

  /**
   * Lists a directory through a handle opened with {@code DIRECTORY_QUERY}, sorted by name.
   * Models {@code NtQueryDirectoryObject} (partial: the whole listing at once, in name order
   * rather than hash order).
   */
  public Listing ntQueryDirectoryObject(Caller caller, Handle directoryHandle) {
    return directories.ntQueryDirectoryObject(caller, directoryHandle);
  }

  /**
   * The header of one entry of a directory, looked up without following a link or calling a parse
   * procedure: what an object browser such as WinObj shows. Needs {@code DIRECTORY_QUERY} on the
   * directory handle. Models {@code NtQueryDirectoryObject} followed by {@code NtQueryObject}
   * (partial).
   */
  public EntryInfo queryEntry(Caller caller, Handle directoryHandle, String name) {
    return directories.queryEntry(caller, directoryHandle, name);
  }

  /** The entries of a directory, sorted by name without case. */
  public List<DirectoryEntry> list(Directory directory) {
    return directories.list(directory);
  }

  /** How many entries a directory holds. */
  public int size(Directory directory) {
    return namespace.size(directory);
  }

  /**
   * Creates a symbolic link. Models {@code NtCreateSymbolicLinkObject} (full). The target must be
   * a well-formed absolute name.
   */
  public OpenResult ntCreateSymbolicLinkObject(
      Caller caller, int desiredAccess, ObjectAttributes attributes, UnicodeString target) {
    return links.ntCreateSymbolicLinkObject(caller, desiredAccess, attributes, target);
  }

  /** Opens a symbolic link itself. Models {@code NtOpenSymbolicLinkObject} (full). */
  public OpenResult ntOpenSymbolicLinkObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return links.ntOpenSymbolicLinkObject(caller, desiredAccess, attributes);
  }

  /** A link's target. Models {@code NtQuerySymbolicLinkObject} (full). */
  public LinkTarget ntQuerySymbolicLinkObject(Caller caller, Handle linkHandle) {
    return links.ntQuerySymbolicLinkObject(caller, linkHandle);
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
    return information.ntQueryObject(caller, handle);
  }

  /** The header of an object the caller holds a reference to. */
  public ObjectInfo describe(KernelObject object, int grantedAccess, int handleAttributes) {
    return ObjectInformation.describe(object, grantedAccess, handleAttributes);
  }

  /** The kernel's own calls: kernel mode, System process. */
  private record KernelCaller(HandleTable handleTable, Token token) implements Caller {
    @Override
    public ProcessorMode previousMode() {
      return ProcessorMode.KERNEL;
    }
  }
}
