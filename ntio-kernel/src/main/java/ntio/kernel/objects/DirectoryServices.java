package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.api.DirectoryEntry;
import ntio.api.EntryInfo;
import ntio.api.Listing;
import ntio.api.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * Object directories: creating, opening and listing them, and looking one entry up as an object
 * browser does. Models NT's {@code obdir.c} system services; the public contracts are on
 * {@link ObjectManager}.
 */
final class DirectoryServices {

  private final Namespace namespace;
  private final ObjectHandles handles;
  private final NameLookup names;
  private final ObjectCreation creation;
  private final ObjectType directoryType;

  DirectoryServices(
      Namespace namespace, ObjectHandles handles, NameLookup names, ObjectCreation creation, ObjectType directoryType) {
    this.namespace = namespace;
    this.handles = handles;
    this.names = names;
    this.creation = creation;
    this.directoryType = directoryType;
  }

  /** See {@link ObjectManager#createKernelDirectory}. */
  Directory createKernelDirectory(String path) {
    return insertKernelDirectory(new Directory(directoryType, false), path);
  }

  /**
   * Names a new directory permanently at {@code path} from kernel mode, keeping no reference of
   * the caller's: its permanence keeps it.
   *
   * @throws IllegalStateException if it cannot be inserted (a boot-order bug)
   */
  Directory insertKernelDirectory(Directory directory, String path) {
    NtStatus status = creation.insertPermanent(directory, path, true);
    if (!status.isSuccess()) {
      throw new IllegalStateException("cannot create directory " + path + ": " + status);
    }
    directory.dereference();
    return directory;
  }

  /** See {@link ObjectManager#ntCreateDirectoryObject}. */
  OpenResult ntCreateDirectoryObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return creation.insertObject(
        new Directory(directoryType, false), attributes, null, desiredAccess, caller, true, false);
  }

  /** See {@link ObjectManager#ntOpenDirectoryObject}. */
  OpenResult ntOpenDirectoryObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return names.openByName(attributes, directoryType, desiredAccess, caller, null);
  }

  /** See {@link ObjectManager#ntQueryDirectoryObject}. */
  Listing ntQueryDirectoryObject(Caller caller, Handle directoryHandle) {
    return handles.withReferenced(directoryHandle, AccessMask.DIRECTORY_QUERY, directoryType, caller,
        (Directory directory) -> new Listing(STATUS_SUCCESS, list(directory)),
        status -> new Listing(status, List.of()));
  }

  /** See {@link ObjectManager#queryEntry}. */
  EntryInfo queryEntry(Caller caller, Handle directoryHandle, String name) {
    Referenced<Directory> found =
        handles.referenceByHandle(directoryHandle, AccessMask.DIRECTORY_QUERY, directoryType, caller);
    if (!found.isSuccess()) {
      return new EntryInfo(found.status(), null);
    }
    KernelObject entry;
    try {
      entry = namespace.referenceEntry(found.object(), name);
    } finally {
      found.object().dereference();
    }
    if (entry == null) {
      return new EntryInfo(STATUS_OBJECT_NAME_NOT_FOUND, null);
    }
    try {
      return new EntryInfo(STATUS_SUCCESS, ObjectInformation.describe(entry, 0, 0));
    } finally {
      entry.dereference();
    }
  }

  /** See {@link ObjectManager#list}. */
  List<DirectoryEntry> list(Directory directory) {
    List<KernelObject> objects = namespace.entries(directory);
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
}
