package ntio.framework;

import java.util.Optional;
import ntio.ddk.NtStatus;
import ntio.framework.WdfObjectAttributes.ExecutionLevel;
import ntio.framework.WdfObjectAttributes.SynchronizationScope;

/**
 * The checks every DDI of {@link Wdf} shares: handles (V-KMDF-03), object attributes (O5) and the
 * creating DDI's IRQL (V-KMDF-10, {@link FxIrql}), the call made before WdfDriverCreate (L8), and
 * where a DDI was called from.
 */
final class FxValidation {

  /** How an object type's parent is chosen (O3). */
  enum ParentRule {
    /** The driver may name one; else the WDFDRIVER, or none before WdfDriverCreate (O2). */
    DEFAULT_DRIVER,
    /** The driver must name one (timers, work items). */
    REQUIRED,
    /** The framework chooses; naming one is {@code STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED}. */
    NOT_ALLOWED
  }

  private FxValidation() {}

  /**
   * The live object of this driver {@code object} is, or a bug check (V-KMDF-03). A DDI on a
   * handle before WdfDriverCreate is reported ({@link FxGlobals#checkDriverCreated}).
   */
  static WdfObject handle(FxGlobals globals, WdfObject object, WdfHandleType expected, String ddi) {
    globals.checkDriverCreated(ddi);
    if (object == null) {
      throw globals.bugCheck(FxGlobals.WDF_INVALID_HANDLE, 0, expected.ordinal(), ddi + ": NULL handle");
    }
    object(globals, object, expected, ddi);
    return object;
  }

  /**
   * Bug-checks a handle that is not a live object of {@code expected} of this driver. Models
   * {@code FxObjectHandleGetPtr} with handle verification (V-KMDF-03): 0x10D, P1 =
   * {@code WDF_INVALID_HANDLE} (0x5), P2 = the handle, P3 = the expected type.
   */
  static void object(FxGlobals caller, WdfObject object, WdfHandleType expected, String ddi) {
    boolean destroyed = object.state() == WdfObjectState.DESTROYED;
    if (caller != object.globals) {
      throw caller.bugCheck(FxGlobals.WDF_INVALID_HANDLE, object.handle(), expected.ordinal(),
          ddi + ": " + object + " belongs to another driver");
    }
    if (destroyed) {
      throw caller.bugCheck(FxGlobals.WDF_INVALID_HANDLE, object.handle(), expected.ordinal(),
          ddi + ": " + object + " was already destroyed (use after free)");
    }
    if (expected != WdfHandleType.WDFOBJECT && expected != object.type()) {
      throw caller.bugCheck(FxGlobals.WDF_INVALID_HANDLE, object.handle(), expected.ordinal(),
          ddi + ": " + object + " is not a " + expected);
    }
  }

  /**
   * Checks attributes before anything is allocated. Models {@code FxValidateObjectAttributes}
   * (S14, O5). Null attributes are {@code WDF_NO_OBJECT_ATTRIBUTES}. A creation (other than the
   * WDFDRIVER's) before WdfDriverCreate is reported ({@link FxGlobals#checkDriverCreated}).
   */
  static NtStatus attributes(FxGlobals globals, WdfObjectAttributes attributes, WdfHandleType type,
      ParentRule rule) {
    if (type != WdfHandleType.WDFDRIVER) {
      globals.checkDriverCreated(creatingDdi(type));
    }
    NtStatus irql = FxIrql.checkDdi(globals, creatingDdi(type));
    if (!irql.isSuccess()) {
      return irql;
    }
    if (attributes == null) {
      return rule == ParentRule.REQUIRED ? NtStatus.STATUS_WDF_PARENT_NOT_SPECIFIED : NtStatus.STATUS_SUCCESS;
    }
    if (attributes.size() != WdfObjectAttributes.SIZE) {
      return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    }
    if (attributes.contextType() != null && !attributes.contextType().hasName()) {
      return NtStatus.STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
    }
    if (attributes.executionLevel() == null || attributes.synchronizationScope() == null) {
      return NtStatus.STATUS_WDF_OBJECT_ATTRIBUTES_INVALID;
    }
    WdfObject parent = attributes.parentObject();
    if (parent != null && rule == ParentRule.NOT_ALLOWED) {
      return NtStatus.STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED;
    }
    if (parent == null && rule == ParentRule.REQUIRED) {
      return NtStatus.STATUS_WDF_PARENT_NOT_SPECIFIED;
    }
    boolean levelsAllowed = type != WdfHandleType.WDFOBJECT && type != WdfHandleType.WDFMEMORY
        && type != WdfHandleType.WDFSPINLOCK && type != WdfHandleType.WDFWAITLOCK;
    if (!levelsAllowed && attributes.executionLevel() != ExecutionLevel.INHERIT_FROM_PARENT) {
      return NtStatus.STATUS_WDF_EXECUTION_LEVEL_INVALID;
    }
    if (!levelsAllowed && attributes.synchronizationScope() != SynchronizationScope.INHERIT_FROM_PARENT) {
      return NtStatus.STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID;
    }
    if (parent != null) {
      object(globals, parent, WdfHandleType.WDFOBJECT, "ParentObject");
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** The nearest WDFDEVICE at or above {@code object}, or null. */
  static WdfDevice deviceAncestor(FxGlobals globals, WdfObject object) {
    synchronized (globals.treeLock) {
      return object.deviceAncestorLocked();
    }
  }

  /** The DDI that creates an object of {@code type}, for the report. */
  private static String creatingDdi(WdfHandleType type) {
    return switch (type) {
      case WDFDRIVER -> "WdfDriverCreate";
      case WDFDEVICE -> "WdfDeviceCreate";
      case WDFQUEUE -> "WdfIoQueueCreate";
      case WDFREQUEST -> "WdfRequestCreate";
      case WDFMEMORY -> "WdfMemoryCreate";
      case WDFOBJECT -> "WdfObjectCreate";
      case WDFTIMER -> "WdfTimerCreate";
      case WDFWORKITEM -> "WdfWorkItemCreate";
      case WDFSPINLOCK -> "WdfSpinLockCreate";
      case WDFWAITLOCK -> "WdfWaitLockCreate";
    };
  }

  /** Where a DDI was called from: the first frame outside the framework, for the tag tracker. */
  static String site(FxGlobals globals, WdfObject object) {
    if (!globals.settings.tracks(object.type())) {
      return "";
    }
    Optional<StackWalker.StackFrame> caller = StackWalker.getInstance().walk(frames -> frames
        .filter(f -> !f.getClassName().startsWith(Wdf.class.getPackageName() + "."))
        .findFirst());
    return caller.map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
        + f.getLineNumber() + ")").orElse("?");
  }
}
