package ntio.drivers.toaster.bus;

import ntio.ddk.IoControlCodes;

/**
 * The names, identifiers and control codes of the toaster bus: what the WDK's toaster samples put
 * in their shared {@code public.h}, for the bus driver and for a tool such as {@code ntio toaster
 * plug} (the WDK's {@code enum.exe}).
 */
public final class ToasterBusIoctl {

  private ToasterBusIoctl() {}

  /** The bus's function device object, which the plug tool opens. */
  public static final String DEVICE_NAME = "\\Device\\ToasterBus";

  /** The symbolic link to {@link #DEVICE_NAME}. */
  public static final String LINK_NAME = "\\DosDevices\\ToasterBus";

  /** The hardware ID the bus is installed with as a root-enumerated device. */
  public static final String BUS_HARDWARE_ID = "Root\\ToasterBus";

  /**
   * A toaster's device ID and (only) hardware ID: the toaster setup class's GUID as the
   * enumerator, {@code MsToaster} as the device. The PnP manager builds a child's instance path
   * from it and the instance ID, and finds the child's driver by it.
   */
  public static final String TOASTER_HARDWARE_ID = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster";

  /** A toaster's compatible ID, a less specific match than the hardware ID. */
  public static final String TOASTER_COMPATIBLE_ID = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsCompatibleToaster";

  /** {@code FILE_DEVICE_BUS_EXTENDER}: the device type of the bus's devices and the codes below. */
  public static final int FILE_DEVICE_BUS_EXTENDER = 0x0000002A;

  /** The size of every bus control code's input: one little-endian 4-byte serial number. */
  public static final int SERIAL_SIZE = Integer.BYTES;

  /**
   * {@code IOCTL_BUSENUM_PLUGIN_HARDWARE}: {@code CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x0,
   * METHOD_BUFFERED, FILE_READ_DATA)}, {@code 0x002A4000}. Input: the new toaster's serial number
   * (not 0). The bus exposes a child with that serial number and asks the PnP manager to
   * enumerate it. {@code STATUS_INVALID_PARAMETER} for a short input, serial number 0 or a serial
   * number in use.
   */
  public static final int IOCTL_BUSENUM_PLUGIN_HARDWARE = busCode(0x0);

  /**
   * {@code IOCTL_BUSENUM_UNPLUG_HARDWARE}: {@code CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x1,
   * METHOD_BUFFERED, FILE_READ_DATA)}, {@code 0x002A4004}. Input: a serial number, or 0 for every
   * toaster. The toaster is gone at once, as if pulled out: the PnP manager finds it missing
   * (surprise removal). {@code STATUS_NO_SUCH_DEVICE} when no plugged-in toaster matches.
   */
  public static final int IOCTL_BUSENUM_UNPLUG_HARDWARE = busCode(0x1);

  /**
   * {@code IOCTL_BUSENUM_EJECT_HARDWARE}: {@code CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x2,
   * METHOD_BUFFERED, FILE_READ_DATA)}, {@code 0x002A4008}. Input: a serial number, or 0 for every
   * toaster. The toaster is asked to leave, as by its eject button. {@code STATUS_NO_SUCH_DEVICE}
   * when no plugged-in toaster matches.
   *
   * @implNote ntio's PnP manager has no {@code IoRequestDeviceEject} yet, so the bus takes the
   *     toaster off at once, as at IRP_MN_EJECT, and the PnP manager removes it as an unplugged one.
   */
  public static final int IOCTL_BUSENUM_EJECT_HARDWARE = busCode(0x2);

  private static int busCode(int function) {
    return IoControlCodes.ctlCode(
        FILE_DEVICE_BUS_EXTENDER, function, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);
  }
}
