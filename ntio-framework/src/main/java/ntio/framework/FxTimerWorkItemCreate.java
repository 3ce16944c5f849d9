package ntio.framework;

import ntio.ddk.NtStatus;
import ntio.framework.FxConstraints.EffectiveLock;
import ntio.framework.FxValidation.ParentRule;

/**
 * {@code WdfTimerCreate} and {@code WdfWorkItemCreate}: validation, the parent's device (O3, T17)
 * and the callback lock automatic serialization gives them ({@link FxConstraints#effectiveLock}),
 * then the object. Models {@code FxTimer::_Create} / {@code FxTimer::Initialize} and {@code
 * FxWorkItem::_Create} / {@code FxWorkItem::Initialize}.
 *
 * <p>A timer asks for passive callbacks when its own attributes say ExecutionLevel Passive (as
 * {@code FxTimer::Initialize} passes {@code ExecutionLevel == WdfExecutionLevelPassive}); its
 * callback then runs from a work item at PASSIVE_LEVEL. A work item always asks for them.
 */
final class FxTimerWorkItemCreate {

  private FxTimerWorkItemCreate() {}

  /**
   * What both creations check before allocating: the attributes (a parent is required), a
   * WDFDEVICE above the parent, and the effective lock; the allocation. A failed step leaves
   * {@code status} set and nothing allocated.
   */
  private record Prepared(NtStatus status, WdfObject parent, WdfDevice device, FxCallbackLock lock,
      FxPool.Allocation allocation) {

    static Prepared of(FxGlobals globals, WdfHandleType type, WdfObjectAttributes attributes,
        boolean automaticSerialization, boolean passiveCallbacks) {
      NtStatus valid = FxValidation.attributes(globals, attributes, type, ParentRule.REQUIRED);
      if (!valid.isSuccess()) {
        return failed(valid);
      }
      WdfObject parent = attributes.parentObject();
      WdfDevice device = FxValidation.deviceAncestor(globals, parent);
      if (device == null) {
        return failed(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
      }
      EffectiveLock lock = FxConstraints.effectiveLock(globals, parent, automaticSerialization, passiveCallbacks,
          type.name());
      if (!lock.status().isSuccess()) {
        return failed(lock.status());
      }
      FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, type.name());
      return allocation == null ? failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES)
          : new Prepared(NtStatus.STATUS_SUCCESS, parent, device, lock.lock(), allocation);
    }

    private static Prepared failed(NtStatus status) {
      return new Prepared(status, null, null, null, null);
    }
  }

  static WdfResult<WdfTimer> timer(FxGlobals globals, WdfTimerConfig config, WdfObjectAttributes attributes) {
    if (config == null || config.callback() == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, "WdfTimerCreate: Config is NULL");
    }
    boolean passive = attributes != null && attributes.executionLevel() == WdfObjectAttributes.ExecutionLevel.PASSIVE;
    Prepared p = Prepared.of(globals, WdfHandleType.WDFTIMER, attributes, config.automaticSerialization(), passive);
    if (!p.status().isSuccess()) {
      return WdfResult.failed(p.status());
    }
    WdfTimer timer = new WdfTimer(globals, p.allocation(), attributes, config, p.parent(), p.device(), p.lock());
    timer.initialize();
    return Wdf.commit(timer, p.parent(), true);
  }

  static WdfResult<WdfWorkItem> workItem(FxGlobals globals, WdfWorkItemConfig config,
      WdfObjectAttributes attributes) {
    if (config == null || config.callback() == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, "WdfWorkItemCreate: Config is NULL");
    }
    Prepared p = Prepared.of(globals, WdfHandleType.WDFWORKITEM, attributes, config.automaticSerialization(), true);
    if (!p.status().isSuccess()) {
      return WdfResult.failed(p.status());
    }
    return Wdf.commit(new WdfWorkItem(globals, p.allocation(), attributes, config, p.parent(), p.device(), p.lock()),
        p.parent(), true);
  }
}
