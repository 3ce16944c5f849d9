package ntio.kernel.objects;

import ntio.api.ObjectQuery;
import static ntio.ddk.NtStatus.STATUS_INVALID_HANDLE;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import ntio.ddk.Handle;
import ntio.api.ObjectInfo;

/**
 * What the object manager tells of an object: its header as {@code NtQueryObject} gives it, with
 * the name from the type's query-name procedure when it has one. Models {@code NtQueryObject}
 * (which ReactOS keeps in {@code oblife.c}); the public contracts are on {@link ObjectManager}.
 */
final class ObjectInformation {

  private final ObjectHandles handles;

  ObjectInformation(ObjectHandles handles) {
    this.handles = handles;
  }

  /** See {@link ObjectManager#ntQueryObject}. */
  ObjectQuery ntQueryObject(Caller caller, Handle handle) {
    HandleTable table = handles.tableOf(handle, caller);
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
      // Called with no lock held: a file's procedure asks its driver.
      QueryNameProcedure.Result named = procedure.queryName(object);
      return new ObjectQuery(STATUS_SUCCESS, header.withName(named.name()), named.status());
    } finally {
      object.dereference();
    }
  }

  /** See {@link ObjectManager#describe}. */
  static ObjectInfo describe(KernelObject object, int grantedAccess, int handleAttributes) {
    return new ObjectInfo(object.type().typeName(), object.fullName().orElse(""),
        object.pointerCount(), object.handleCount(), object.isPermanent(), object.isExclusive(),
        grantedAccess, handleAttributes);
  }
}
