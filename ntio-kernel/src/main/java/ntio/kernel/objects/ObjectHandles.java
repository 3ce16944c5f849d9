package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_HANDLE_NOT_CLOSABLE;
import static ntio.ddk.NtStatus.STATUS_INSUFFICIENT_RESOURCES;
import static ntio.ddk.NtStatus.STATUS_INVALID_HANDLE;
import static ntio.ddk.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;

import java.util.List;
import java.util.function.Function;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.api.OpenResult;
import ntio.kernel.objects.ObjectManager.Referenced;

/**
 * Handles: which table a handle lives in, and opening, referencing, closing, duplicating and
 * running down handles. Models NT's {@code obhandle.c} and {@code ObReferenceObjectByHandle}
 * ({@code obref.c}); the public contracts are on {@link ObjectManager}.
 *
 * <p>Implementation notes: a handle holds one pointer reference and one handle count. A new
 * handle is counted before its entry enters a table, since another thread may close it from there
 * at once; a closed handle leaves its table first, and its counts and close procedure are dealt
 * with after, with no table lock held.
 */
final class ObjectHandles {

  private final HandleTable kernelHandles;
  private final ObjectSecurity security;
  private final Namespace namespace;

  ObjectHandles(HandleTable kernelHandles, ObjectSecurity security, Namespace namespace) {
    this.kernelHandles = kernelHandles;
    this.security = security;
    this.namespace = namespace;
  }

  /** The access a handle to an object of {@code type} may carry at most. */
  static int grantableMask(ObjectType type) {
    return type.validAccessMask() | AccessMask.ACCESS_SYSTEM_SECURITY;
  }

  /** See {@link ObjectManager#referenceByHandle}. */
  @SuppressWarnings("unchecked")
  <T extends KernelObject> Referenced<T> referenceByHandle(
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

  /**
   * Calls {@code use} with the object behind a handle, referenced as {@link #referenceByHandle}
   * references it and dereferenced when {@code use} returns; or, when the reference is refused,
   * {@code refused} with its status.
   */
  <T extends KernelObject, R> R withReferenced(Handle handle, int desiredAccess, ObjectType expectedType,
      Caller caller, Function<T, R> use, Function<NtStatus, R> refused) {
    Referenced<T> found = referenceByHandle(handle, desiredAccess, expectedType, caller);
    if (!found.isSuccess()) {
      return refused.apply(found.status());
    }
    try {
      return use.apply(found.object());
    } finally {
      found.object().dereference();
    }
  }

  /**
   * Opens a handle to an object the caller holds a reference to, in the table the attributes and
   * the caller's mode select. Models {@code ObpCreateHandle}. The caller keeps its reference; the
   * handle takes one of its own.
   */
  OpenResult createHandle(KernelObject object, int grantedAccess, int attrs, Caller caller) {
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

  /** See {@link ObjectManager#close}. */
  NtStatus close(Handle handle, Caller caller) {
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

  /**
   * What closing a handle does once its entry has left the table: {@code ObpDecrementHandleCount}
   * (the close procedure, and the name with the last handle) and the handle's dereference.
   */
  private void closeEntry(HandleTable.Entry entry, HandleTable table) {
    KernelObject object = entry.object();
    long left = object.decrementHandleCount();
    object.type().runCloseProcedure(object, table, entry.grantedAccess(), left);
    if (left == 0) {
      namespace.deleteNameCheck(object);
    }
    object.dereference();
  }

  /** See {@link ObjectManager#runDown}. */
  int runDown(HandleTable table) {
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

  /** See {@link ObjectManager#duplicate}. */
  OpenResult duplicate(
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
      if ((options & ObjectManager.DUPLICATE_SAME_ACCESS) != 0) {
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
      int attrs = (options & ObjectManager.DUPLICATE_SAME_ATTRIBUTES) != 0 ? entry.attributes() : handleAttributes;
      if (object.incrementHandleCount(targetTable) == KernelObject.NtStatusOrOk.ACCESS_DENIED) {
        return OpenResult.failed(STATUS_ACCESS_DENIED);
      }
      HandleTable.Entry copy = new HandleTable.Entry(object, granted, attrs);
      Handle handle = targetTable.add(copy);
      if (handle == null) {
        closeEntry(copy, targetTable);
        return OpenResult.failed(STATUS_INSUFFICIENT_RESOURCES);
      }
      if ((options & ObjectManager.DUPLICATE_CLOSE_SOURCE) != 0) {
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

  private static boolean tableKindMismatch(Handle handle, HandleTable table, Caller caller) {
    return handle.isKernelHandle() != table.isKernel() || (handle.isKernelHandle() && caller.isUserMode());
  }

  /** See {@link ObjectManager#setHandleAttributes}. */
  NtStatus setHandleAttributes(Handle handle, int attributes, Caller caller) {
    HandleTable table = tableOf(handle, caller);
    if (table == null || !table.setAttributes(handle, attributes & (HandleTable.PROTECT_FROM_CLOSE | HandleTable.INHERIT))) {
      return STATUS_INVALID_HANDLE;
    }
    return STATUS_SUCCESS;
  }

  /**
   * The table a handle value belongs to for this caller, or null when the caller may not use it:
   * the System table for a kernel handle from kernel mode, else the caller's own.
   */
  HandleTable tableOf(Handle handle, Caller caller) {
    if (handle == null || handle.isNull()) {
      return null;
    }
    if (handle.isKernelHandle()) {
      return caller.isUserMode() ? null : kernelHandles;
    }
    HandleTable table = caller.handleTable();
    return table.isKernel() ? null : table;
  }

  private HandleTable tableFor(int attrs, Caller caller) {
    boolean kernelHandle = (attrs & ObjectAttributes.OBJ_KERNEL_HANDLE) != 0
        && caller.previousMode() == ProcessorMode.KERNEL;
    return kernelHandle ? kernelHandles : caller.handleTable();
  }

  private static int handleAttributes(int attrs) {
    return (attrs & ObjectAttributes.OBJ_INHERIT) != 0 ? HandleTable.INHERIT : 0;
  }
}
