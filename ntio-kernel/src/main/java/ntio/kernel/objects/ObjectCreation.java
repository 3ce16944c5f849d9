package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_EXISTS;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import java.util.Objects;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.api.OpenResult;
import ntio.kernel.security.SecurityDescriptor;

/**
 * Inserting a new object: its descriptor, its name, its first handle, and the creator's reference
 * it consumes. Models {@code ObInsertObject} ({@code obhandle.c}); the attributes are checked by
 * {@link AttributeCapture} and the name placed by {@link NameInsertion}. The public contract is on
 * {@link ObjectManager#insertObject}.
 */
final class ObjectCreation {

  private final Namespace namespace;
  private final ObjectSecurity security;
  private final ObjectHandles handles;
  private final NameInsertion insertion;
  private final Caller kernelCaller;

  ObjectCreation(
      Namespace namespace, ObjectSecurity security, ObjectHandles handles, NameLookup names, Caller kernelCaller) {
    this.namespace = namespace;
    this.security = security;
    this.handles = handles;
    // Only an insert walks to where a new name goes.
    this.insertion = new NameInsertion(namespace, security, names);
    this.kernelCaller = kernelCaller;
  }

  /** See {@link ObjectManager#insertObject}. */
  OpenResult insertObject(KernelObject object, ObjectAttributes attributes, SecurityDescriptor descriptor,
      int desiredAccess, Caller caller, boolean createHandle, boolean keepReference) {
    Objects.requireNonNull(object, "object");
    ObjectType type = object.type();
    int attrs = attributes == null ? 0 : AttributeCapture.effective(attributes.attributes(), caller);
    NtStatus check = AttributeCapture.check(attrs, type, caller, security);
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
      NameInsertion.NamedInsert outcome = insertion.insertName(object, attributes, attrs, caller);
      if (outcome.existing() != null) {
        object.dereference();
        return openExisting(outcome.existing(), attrs, desiredAccess, caller);
      }
      if (!outcome.status().isSuccess()) {
        object.dereference();
        return OpenResult.failed(outcome.status());
      }
    } else if ((attrs & ObjectAttributes.OBJ_PERMANENT) != 0) {
      object.markPermanent();
    }
    Handle handle = Handle.NULL;
    if (createHandle) {
      int granted = type.genericMapping().map(desiredAccess) & ObjectHandles.grantableMask(type);
      OpenResult opened = handles.createHandle(object, granted, attrs, caller);
      if (!opened.status().isSuccess()) {
        undoInsert(object);
        return opened;
      }
      handle = opened.handle();
    } else {
      namespace.deleteNameCheck(object);
    }
    if (!keepReference) {
      object.dereference();
    }
    return new OpenResult(status, handle);
  }

  /**
   * Names a new object permanently from kernel mode, with no handle: how the kernel creates its
   * types, directories and links.
   *
   * @param keepReference whether the caller keeps the creator's reference on success
   * @return the status of the insert
   */
  NtStatus insertPermanent(KernelObject object, String path, boolean keepReference) {
    ObjectAttributes attributes = ObjectAttributes.of(path, ObjectAttributes.OBJ_PERMANENT);
    return insertObject(object, attributes, null, 0, kernelCaller, false, keepReference).status();
  }

  private void undoInsert(KernelObject object) {
    namespace.removeName(object);
    if (object.clearPermanent()) {
      object.dereference();
    }
    object.dereference();
  }

  /** {@code OBJ_OPENIF} met an object of the same type: open it instead, with its own check. */
  private OpenResult openExisting(KernelObject existing, int attrs, int desiredAccess, Caller caller) {
    try {
      ObjectSecurity.Decision decision =
          security.check(existing, desiredAccess, caller, AttributeCapture.forceAccessCheck(attrs));
      if (!decision.status().isSuccess()) {
        return OpenResult.failed(decision.status());
      }
      OpenResult opened = handles.createHandle(existing, decision.grantedAccess(), attrs, caller);
      return opened.status().isSuccess()
          ? new OpenResult(STATUS_OBJECT_NAME_EXISTS, opened.handle())
          : opened;
    } finally {
      existing.dereference();
    }
  }
}
