package ntio.framework;

/**
 * A device power state as the framework reports it to EvtDeviceD0Entry and EvtDeviceD0Exit.
 * Models {@code WDF_POWER_DEVICE_STATE} (full as a list; ntio has no idle or system power
 * transitions, so only {@link #D3_FINAL} — the device is being started for the first time, or
 * removed — is ever reported, with {@link #D3} for a stop).
 */
public enum WdfPowerDeviceState {
  /** {@code WdfPowerDeviceInvalid}. */
  INVALID,
  /** {@code WdfPowerDeviceD0}: working. */
  D0,
  /** {@code WdfPowerDeviceD1}. */
  D1,
  /** {@code WdfPowerDeviceD2}. */
  D2,
  /** {@code WdfPowerDeviceD3}: off, the device will come back (a stop for rebalance). */
  D3,
  /** {@code WdfPowerDeviceD3Final}: off for good (first start, removal, surprise removal). */
  D3_FINAL,
  /** {@code WdfPowerDevicePrepareForHibernation}. */
  PREPARE_FOR_HIBERNATION
}
