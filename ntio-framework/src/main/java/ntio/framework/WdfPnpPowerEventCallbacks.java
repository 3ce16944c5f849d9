package ntio.framework;

import ntio.ddk.NtStatus;

/**
 * The PnP and power callbacks of a WDFDEVICE, set on its init with {@link
 * WdfPnp#deviceInitSetPnpPowerEventCallbacks}. Models {@code WDF_PNPPOWER_EVENT_CALLBACKS} and
 * {@code WDF_PNPPOWER_EVENT_CALLBACKS_INIT} (partial: no resource lists, since ntio assigns no
 * hardware resources; no self-managed I/O init, suspend, restart or flush; no surprise-removal
 * callback). A plain mutable value, copied when it is set; not thread-safe.
 *
 * <p>When the framework calls them ({@link FxPkgPnp}): on start, after the lower drivers
 * started the device, {@link #prepareHardware} then {@link #d0Entry} with {@link
 * WdfPowerDeviceState#D3_FINAL}, then the device's queues start presenting; on removal (and on
 * surprise removal, and on a stop), the queues stop, then {@link #d0Exit} with {@link
 * WdfPowerDeviceState#D3_FINAL} ({@link WdfPowerDeviceState#D3} for a stop), then {@link
 * #releaseHardware}, then on removal {@link #selfManagedIoCleanup}. A failing PrepareHardware or
 * D0Entry fails the start; ReleaseHardware is then called whenever PrepareHardware was.
 */
public final class WdfPnpPowerEventCallbacks {

  /** {@code EVT_WDF_DEVICE_PREPARE_HARDWARE} (without resource lists). */
  @FunctionalInterface
  public interface PrepareHardware {
    /** Makes the device accessible; a failure fails the start. */
    NtStatus prepareHardware(WdfDevice device);
  }

  /** {@code EVT_WDF_DEVICE_RELEASE_HARDWARE} (without a resource list). */
  @FunctionalInterface
  public interface ReleaseHardware {
    /** The device is no longer accessible. */
    NtStatus releaseHardware(WdfDevice device);
  }

  /** {@code EVT_WDF_DEVICE_D0_ENTRY}. */
  @FunctionalInterface
  public interface D0Entry {
    /** The device entered its working state from {@code previousState}; a failure fails the start. */
    NtStatus d0Entry(WdfDevice device, WdfPowerDeviceState previousState);
  }

  /** {@code EVT_WDF_DEVICE_D0_EXIT}. */
  @FunctionalInterface
  public interface D0Exit {
    /** The device leaves its working state for {@code targetState}. */
    NtStatus d0Exit(WdfDevice device, WdfPowerDeviceState targetState);
  }

  /** {@code EVT_WDF_DEVICE_SELF_MANAGED_IO_CLEANUP}. */
  @FunctionalInterface
  public interface SelfManagedIoCleanup {
    /** The device is being removed: free what self-managed I/O set up. */
    void selfManagedIoCleanup(WdfDevice device);
  }

  private PrepareHardware prepareHardware;
  private ReleaseHardware releaseHardware;
  private D0Entry d0Entry;
  private D0Exit d0Exit;
  private SelfManagedIoCleanup selfManagedIoCleanup;

  private WdfPnpPowerEventCallbacks() {}

  /** No callbacks. Models {@code WDF_PNPPOWER_EVENT_CALLBACKS_INIT} (full). */
  public static WdfPnpPowerEventCallbacks init() {
    return new WdfPnpPowerEventCallbacks();
  }

  WdfPnpPowerEventCallbacks copy() {
    WdfPnpPowerEventCallbacks copy = new WdfPnpPowerEventCallbacks();
    copy.prepareHardware = prepareHardware;
    copy.releaseHardware = releaseHardware;
    copy.d0Entry = d0Entry;
    copy.d0Exit = d0Exit;
    copy.selfManagedIoCleanup = selfManagedIoCleanup;
    return copy;
  }

  /** {@code EvtDevicePrepareHardware}, or null. */
  public PrepareHardware prepareHardware() {
    return prepareHardware;
  }

  /** Sets {@code EvtDevicePrepareHardware}. */
  public WdfPnpPowerEventCallbacks prepareHardware(PrepareHardware callback) {
    this.prepareHardware = callback;
    return this;
  }

  /** {@code EvtDeviceReleaseHardware}, or null. */
  public ReleaseHardware releaseHardware() {
    return releaseHardware;
  }

  /** Sets {@code EvtDeviceReleaseHardware}. */
  public WdfPnpPowerEventCallbacks releaseHardware(ReleaseHardware callback) {
    this.releaseHardware = callback;
    return this;
  }

  /** {@code EvtDeviceD0Entry}, or null. */
  public D0Entry d0Entry() {
    return d0Entry;
  }

  /** Sets {@code EvtDeviceD0Entry}. */
  public WdfPnpPowerEventCallbacks d0Entry(D0Entry callback) {
    this.d0Entry = callback;
    return this;
  }

  /** {@code EvtDeviceD0Exit}, or null. */
  public D0Exit d0Exit() {
    return d0Exit;
  }

  /** Sets {@code EvtDeviceD0Exit}. */
  public WdfPnpPowerEventCallbacks d0Exit(D0Exit callback) {
    this.d0Exit = callback;
    return this;
  }

  /** {@code EvtDeviceSelfManagedIoCleanup}, or null. */
  public SelfManagedIoCleanup selfManagedIoCleanup() {
    return selfManagedIoCleanup;
  }

  /** Sets {@code EvtDeviceSelfManagedIoCleanup}. */
  public WdfPnpPowerEventCallbacks selfManagedIoCleanup(SelfManagedIoCleanup callback) {
    this.selfManagedIoCleanup = callback;
    return this;
  }
}
