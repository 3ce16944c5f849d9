package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * Permanent and temporary objects: the extra pointer reference a permanent object holds, and the
 * name a temporary one loses with its last handle. Models {@code ObMakeTemporaryObject},
 * {@code NtMakeTemporaryObject} and {@code NtMakePermanentObject} ({@code oblife.c}); the public
 * contracts are on {@link ObjectManager}.
 */
final class ObjectLifetime {

  private final Namespace namespace;
  private final ObjectSecurity security;
  private final ObjectHandles handles;

  ObjectLifetime(Namespace namespace, ObjectSecurity security, ObjectHandles handles) {
    this.namespace = namespace;
    this.security = security;
    this.handles = handles;
  }

  /** See {@link ObjectManager#makeTemporary}. */
  void makeTemporary(KernelObject object) {
    if (object.clearPermanent()) {
      namespace.deleteNameCheck(object);
      object.dereference();
    }
  }

  /** See {@link ObjectManager#ntMakeTemporaryObject}. */
  NtStatus ntMakeTemporaryObject(Handle handle, Caller caller) {
    return handles.withReferenced(handle, AccessMask.DELETE, null, caller, (KernelObject object) -> {
      makeTemporary(object);
      return STATUS_SUCCESS;
    }, status -> status);
  }

  /** See {@link ObjectManager#ntMakePermanentObject}. */
  NtStatus ntMakePermanentObject(Handle handle, Caller caller) {
    if (caller.isUserMode() && !security.hasPrivilege(caller, ObjectSecurity.CREATE_PERMANENT)) {
      return STATUS_PRIVILEGE_NOT_HELD;
    }
    Referenced<KernelObject> found = handles.referenceByHandle(handle, 0, null, caller);
    if (!found.isSuccess()) {
      return found.status();
    }
    found.object().markPermanent();
    found.object().dereference();
    return STATUS_SUCCESS;
  }
}
