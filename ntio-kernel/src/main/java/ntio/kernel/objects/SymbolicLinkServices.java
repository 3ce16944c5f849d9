package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.api.LinkTarget;
import ntio.api.OpenResult;

/**
 * Symbolic links: creating, opening and reading them. Following one is name lookup's work
 * ({@link NameLookup}). Models NT's {@code oblink.c} system services; the public contracts are on
 * {@link ObjectManager}.
 */
final class SymbolicLinkServices {

  private final ObjectHandles handles;
  private final NameLookup names;
  private final ObjectCreation creation;
  private final ObjectType symbolicLinkType;

  SymbolicLinkServices(
      ObjectHandles handles, NameLookup names, ObjectCreation creation, ObjectType symbolicLinkType) {
    this.handles = handles;
    this.names = names;
    this.creation = creation;
    this.symbolicLinkType = symbolicLinkType;
  }

  /** See {@link ObjectManager#createKernelSymbolicLink}. */
  NtStatus createKernelSymbolicLink(String path, String target) {
    return creation.insertPermanent(new SymbolicLink(symbolicLinkType, target), path, false);
  }

  /** See {@link ObjectManager#ntCreateSymbolicLinkObject}. */
  OpenResult ntCreateSymbolicLinkObject(
      Caller caller, int desiredAccess, ObjectAttributes attributes, UnicodeString target) {
    if (target == null || !target.isReadable()) {
      return OpenResult.failed(NtStatus.STATUS_ACCESS_VIOLATION);
    }
    if ((target.length() & 1) != 0 || target.length() > target.maximumLength()) {
      return OpenResult.failed(STATUS_INVALID_PARAMETER);
    }
    return creation.insertObject(new SymbolicLink(symbolicLinkType, target.text()), attributes, null,
        desiredAccess, caller, true, false);
  }

  /** See {@link ObjectManager#ntOpenSymbolicLinkObject}. */
  OpenResult ntOpenSymbolicLinkObject(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return names.openByName(attributes, symbolicLinkType, desiredAccess, caller, null);
  }

  /** See {@link ObjectManager#ntQuerySymbolicLinkObject}. */
  LinkTarget ntQuerySymbolicLinkObject(Caller caller, Handle linkHandle) {
    return handles.withReferenced(linkHandle, AccessMask.SYMBOLIC_LINK_QUERY, symbolicLinkType, caller,
        (SymbolicLink link) -> new LinkTarget(STATUS_SUCCESS, link.target()),
        status -> new LinkTarget(status, null));
  }
}
