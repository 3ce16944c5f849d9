package ntio.framework;

/**
 * Where a PnP WDFDEVICE (an FDO or a filter) is in its PnP life. Models KMDF's PnP state machine
 * ({@code WDF_DEVICE_PNP_STATE}, {@code shared/irphandlers/pnp/pnpstatemachine.cpp}), collapsed
 * to the states a driver can observe through its callbacks: ntio's PnP IRPs arrive one at a time,
 * so the intermediate states KMDF passes through while it waits for the power machines are not
 * kept. {@link FxPkgPnp} is the only writer; {@link WdfDevice#pnpState()} shows it.
 *
 * <pre>
 * INIT ──START: lower drivers, PrepareHardware, D0Entry succeeded───▶ STARTED
 * INIT ──START failed (ReleaseHardware if PrepareHardware ran)──────▶ FAILED_START
 * INIT ──EvtDriverDeviceAdd failed after WdfDeviceCreate────────────▶ REMOVED
 * STARTED ──QUERY_REMOVE────────────────────────────────────────────▶ QUERY_REMOVED
 * QUERY_REMOVED ──CANCEL_REMOVE─────────────────────────────────────▶ STARTED
 * STARTED ──STOP: queues held, D0Exit(D3), ReleaseHardware──────────▶ STOPPED
 * STOPPED ──START───────────────────────────────────────────────────▶ STARTED or FAILED_START
 * STARTED | QUERY_REMOVED | STOPPED | FAILED_START ──SURPRISE_REMOVAL─▶ SURPRISE_REMOVED
 * every state but REMOVED ──REMOVE: purge, power down, cleanup──────▶ REMOVED
 * </pre>
 */
public enum WdfDevicePnpState {
  /** Created by EvtDriverDeviceAdd; not started. Its queues hold requests. */
  INIT,
  /** Started and in D0: its queues present requests. */
  STARTED,
  /** Asked whether it may be removed, and agreed: a REMOVE or a CANCEL_REMOVE follows. */
  QUERY_REMOVED,
  /** Stopped for a rebalance: hardware released, queues hold requests until the next start. */
  STOPPED,
  /** A start failed; the PnP manager removes the stack. */
  FAILED_START,
  /** Gone from under its driver: queues purged, powered down, hardware released; waits for REMOVE. */
  SURPRISE_REMOVED,
  /** Removed: the WDFDEVICE's tree is deleted and its device object detached and deleted. */
  REMOVED;

  /** Whether the device is in D0 with its hardware prepared in this state. */
  boolean poweredUp() {
    return this == STARTED || this == QUERY_REMOVED;
  }

  boolean canBecome(WdfDevicePnpState next) {
    return switch (this) {
      case INIT -> next == STARTED || next == FAILED_START || next == REMOVED;
      case STARTED -> next == QUERY_REMOVED || next == STOPPED || next == SURPRISE_REMOVED || next == REMOVED;
      case QUERY_REMOVED -> next == STARTED || next == SURPRISE_REMOVED || next == REMOVED;
      case STOPPED -> next == STARTED || next == FAILED_START || next == SURPRISE_REMOVED || next == REMOVED;
      case FAILED_START -> next == SURPRISE_REMOVED || next == REMOVED;
      case SURPRISE_REMOVED -> next == REMOVED;
      case REMOVED -> false;
    };
  }
}
