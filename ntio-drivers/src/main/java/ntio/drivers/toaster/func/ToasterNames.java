package ntio.drivers.toaster.func;

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;
import ntio.ddk.PoolTag;

/** The names and codes the Toaster function driver and its clients share. */
public final class ToasterNames {

  private ToasterNames() {}

  /** The service name. */
  public static final String SERVICE = "Toaster";

  /** Device names are this followed by the instance number: {@code \Device\Toaster0}, ... */
  public static final String DEVICE_PREFIX = "\\Device\\Toaster";

  /** Symbolic links are this followed by the instance number: {@code \DosDevices\Toaster0}, ... */
  public static final String LINK_PREFIX = "\\DosDevices\\Toaster";

  /** How many instances a driver serves at most (the names {@code Toaster0} to {@code Toaster99}). */
  public static final int MAX_INSTANCES = 100;

  /** Bytes a toaster keeps of the last write. */
  public static final int BUFFER_SIZE = 64;

  /** The pool tag of the driver's framework allocations. */
  public static final int TAG = PoolTag.of("Tstr");

  /**
   * {@code IOCTL_TOASTER_GET_STATE}: METHOD_BUFFERED, read access; answers 12 bytes, little-endian:
   * the instance number, how many times the device entered D0, how many bytes it keeps.
   */
  public static final int IOCTL_TOASTER_GET_STATE = IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN,
      0x800, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);

  /** Bytes {@link #IOCTL_TOASTER_GET_STATE} answers. */
  public static final int STATE_SIZE = 12;
}
