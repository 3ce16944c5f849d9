package ntio.drivers.toaster.func;

/**
 * A toaster's device context ({@code FDO_DATA} in the WDK's toaster): zero-filled when the
 * framework allocates it with the WDFDEVICE. Its fields are touched only by the device's
 * PnP/power callbacks (one at a time) and its sequential queue (one request at a time).
 */
final class ToasterDevice {

  /** The instance number n of {@code \Device\Toaster<n>}. */
  int instance;

  /** Times the device entered D0. */
  int d0Entries;

  /** Whether the hardware is prepared (between PrepareHardware and ReleaseHardware). */
  boolean hardwareReady;

  /** The last write, up to {@link ToasterNames#BUFFER_SIZE} bytes. */
  final byte[] kept = new byte[ToasterNames.BUFFER_SIZE];

  /** Bytes of {@link #kept} in use. */
  int stored;
}
