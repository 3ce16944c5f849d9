package ntio.framework;

import ntio.ddk.NtStatus;
import ntio.framework.WdfObjectAttributes.ExecutionLevel;
import ntio.framework.WdfObjectAttributes.SynchronizationScope;

/**
 * The execution level and synchronization scope in effect for an object that delivers callbacks
 * (a WDFDRIVER, WDFDEVICE or WDFQUEUE: KMDF's {@code IFxHasCallbacks}), never {@code
 * InheritFromParent}: what {@code GetConstraints} returns.
 *
 * <p>Resolution follows KMDF: the WDFDRIVER starts at Dispatch / None and takes what its attributes
 * say unless they inherit ({@code FxDriver::FxDriver}, {@code FxDriver::ConfigureConstraints});
 * a WDFDEVICE takes its attributes' values and replaces each {@code InheritFromParent} by the
 * driver's ({@code FxDeviceBase::ConfigureConstraints}); a WDFQUEUE does the same against its
 * device ({@code FxIoQueue::ConfigureConstraints}). Objects without callbacks of their own (timers,
 * work items) use their parent's through {@link #effectiveLock}.
 *
 * @param level Passive or Dispatch
 * @param scope Device, Queue or None
 */
record FxConstraints(ExecutionLevel level, SynchronizationScope scope) {

  /** A WDFDRIVER's constraints before its attributes: {@code FxDriver}'s constructor (kernel mode). */
  static final FxConstraints DRIVER_DEFAULT = new FxConstraints(ExecutionLevel.DISPATCH, SynchronizationScope.NONE);

  FxConstraints {
    if (level == ExecutionLevel.INHERIT_FROM_PARENT || scope == SynchronizationScope.INHERIT_FROM_PARENT) {
      throw new IllegalArgumentException("unresolved constraints " + level + "/" + scope);
    }
  }

  /** Whether callbacks under these constraints run at PASSIVE_LEVEL (KMDF's passive callbacks). */
  boolean passive() {
    return level == ExecutionLevel.PASSIVE;
  }

  /**
   * These constraints, overridden by what {@code attributes} say other than {@code
   * InheritFromParent}: a child's resolution against its parent's. Null attributes inherit both.
   */
  FxConstraints inheritedBy(WdfObjectAttributes attributes) {
    if (attributes == null) {
      return this;
    }
    ExecutionLevel ownLevel = attributes.executionLevel() == ExecutionLevel.INHERIT_FROM_PARENT
        ? level : attributes.executionLevel();
    SynchronizationScope ownScope = attributes.synchronizationScope() == SynchronizationScope.INHERIT_FROM_PARENT
        ? scope : attributes.synchronizationScope();
    return new FxConstraints(ownLevel, ownScope);
  }

  /** The nearest object at or above {@code object} that delivers callbacks, or null. */
  static WdfObject callbacksAncestor(FxGlobals globals, WdfObject object) {
    synchronized (globals.treeLock) {
      for (WdfObject o = object; o != null; o = o.parentLocked()) {
        if (o.constraints() != null) {
          return o;
        }
      }
      return null;
    }
  }

  /** What {@link #effectiveLock} found: a status, and the lock (null for none). */
  record EffectiveLock(NtStatus status, FxCallbackLock lock) {}

  /**
   * The callback lock a timer or work item parented to {@code parent} runs its callback under.
   * Models {@code FxObject::_GetEffectiveLock} (fxobject.cpp): without automatic serialization,
   * none; else the nearest object at or above {@code parent} that has callbacks (a queue, else the
   * device, as {@code FxDeviceBase::_SearchForDevice} finds it) gives its constraints: a scope of
   * None gives no lock; a caller that needs passive callbacks under a Dispatch-level object, or
   * the reverse, is a DbgBreak and {@code STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL}; otherwise the
   * object's callback lock ({@code GetCallbackLockPtr}).
   *
   * @param passiveCallbacks whether the caller's callback must run at PASSIVE_LEVEL (a work item;
   *     a timer with ExecutionLevel Passive)
   */
  static EffectiveLock effectiveLock(FxGlobals globals, WdfObject parent, boolean automaticSerialization,
      boolean passiveCallbacks, String what) {
    if (!automaticSerialization) {
      return new EffectiveLock(NtStatus.STATUS_SUCCESS, null);
    }
    WdfObject owner = callbacksAncestor(globals, parent);
    if (owner == null) {
      return new EffectiveLock(NtStatus.STATUS_INVALID_DEVICE_REQUEST, null);
    }
    FxConstraints constraints = owner.constraints();
    if (constraints.scope() == SynchronizationScope.NONE) {
      return new EffectiveLock(NtStatus.STATUS_SUCCESS, null);
    }
    if (passiveCallbacks != constraints.passive()) {
      globals.verifierBreak("V-KMDF-LEVEL", what + " with AutomaticSerialization needs "
          + (passiveCallbacks ? "PASSIVE_LEVEL" : "DISPATCH_LEVEL") + " callbacks, but " + owner
          + " has ExecutionLevel " + constraints.level() + ": " + NtStatus.STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL);
      return new EffectiveLock(NtStatus.STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL, null);
    }
    return new EffectiveLock(NtStatus.STATUS_SUCCESS, owner.callbackLock());
  }
}
