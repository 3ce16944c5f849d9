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

  static WdfResult<WdfTimer> timer(FxGlobals globals, WdfTimerConfig config, WdfObjectAttributes attributes) {
    if (config == null || config.callback() == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, "WdfTimerCreate: Config is NULL");
    }
    NtStatus valid = FxValidation.attributes(globals, attributes, WdfHandleType.WDFTIMER, ParentRule.REQUIRED);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    WdfObject parent = attributes.parentObject();
    WdfDevice device = FxValidation.deviceAncestor(globals, parent);
    if (device == null) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    boolean passive = attributes.executionLevel() == WdfObjectAttributes.ExecutionLevel.PASSIVE;
    EffectiveLock lock = FxConstraints.effectiveLock(globals, parent, config.automaticSerialization(), passive,
        "WDFTIMER");
    if (!lock.status().isSuccess()) {
      return WdfResult.failed(lock.status());
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFTIMER");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    WdfTimer timer = new WdfTimer(globals, allocation, attributes, config, parent, device, lock.lock());
    timer.initialize();
    return Wdf.commit(timer, parent, true);
  }

  static WdfResult<WdfWorkItem> workItem(FxGlobals globals, WdfWorkItemConfig config,
      WdfObjectAttributes attributes) {
    if (config == null || config.callback() == null) {
      throw globals.bugCheck(FxGlobals.WDF_REQUIRED_PARAMETER_IS_NULL, 0, 0, "WdfWorkItemCreate: Config is NULL");
    }
    NtStatus valid = FxValidation.attributes(globals, attributes, WdfHandleType.WDFWORKITEM, ParentRule.REQUIRED);
    if (!valid.isSuccess()) {
      return WdfResult.failed(valid);
    }
    WdfObject parent = attributes.parentObject();
    WdfDevice device = FxValidation.deviceAncestor(globals, parent);
    if (device == null) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    EffectiveLock lock = FxConstraints.effectiveLock(globals, parent, config.automaticSerialization(), true,
        "WDFWORKITEM");
    if (!lock.status().isSuccess()) {
      return WdfResult.failed(lock.status());
    }
    FxPool.Allocation allocation = globals.allocate(FxGlobals.OBJECT_HEADER_SIZE, "WDFWORKITEM");
    if (allocation == null) {
      return WdfResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    return Wdf.commit(new WdfWorkItem(globals, allocation, attributes, config, parent, device, lock.lock()),
        parent, true);
  }
}
