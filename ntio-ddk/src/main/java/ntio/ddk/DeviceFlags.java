package ntio.ddk;

/** {@code DO_*} device flags and {@code DOE_*} device-extension flags (full). */
public final class DeviceFlags {

  private DeviceFlags() {}

  /** {@code DO_VERIFY_VOLUME}. */
  public static final int DO_VERIFY_VOLUME = 0x00000002;
  /** {@code DO_BUFFERED_IO}: reads and writes go through a system buffer. */
  public static final int DO_BUFFERED_IO = 0x00000004;
  /** {@code DO_EXCLUSIVE}: one open at a time. */
  public static final int DO_EXCLUSIVE = 0x00000008;
  /** {@code DO_DIRECT_IO}: reads and writes see the caller's memory. */
  public static final int DO_DIRECT_IO = 0x00000010;
  /** {@code DO_MAP_IO_BUFFER}. */
  public static final int DO_MAP_IO_BUFFER = 0x00000020;
  /** {@code DO_DEVICE_HAS_NAME}. */
  public static final int DO_DEVICE_HAS_NAME = 0x00000040;
  /** {@code DO_DEVICE_INITIALIZING}: not yet openable or attachable. */
  public static final int DO_DEVICE_INITIALIZING = 0x00000080;
  /** {@code DO_NEVER_LAST_DEVICE}. */
  public static final int DO_NEVER_LAST_DEVICE = 0x00000400;
  /** {@code DO_SHUTDOWN_REGISTERED}. */
  public static final int DO_SHUTDOWN_REGISTERED = 0x00000800;
  /** {@code DO_BUS_ENUMERATED_DEVICE}. */
  public static final int DO_BUS_ENUMERATED_DEVICE = 0x00001000;
  /** {@code DO_POWER_PAGABLE}. */
  public static final int DO_POWER_PAGABLE = 0x00002000;
  /** {@code DO_LOW_PRIORITY_FILESYSTEM}. */
  public static final int DO_LOW_PRIORITY_FILESYSTEM = 0x00010000;

  /** The bits only the I/O manager may set or clear. */
  public static final int DO_SYSTEM_OWNED =
      DO_EXCLUSIVE | DO_DEVICE_HAS_NAME | DO_SHUTDOWN_REGISTERED | DO_LOW_PRIORITY_FILESYSTEM;

  /** {@code DOE_UNLOAD_PENDING}: the driver's unload was asked for. */
  public static final int DOE_UNLOAD_PENDING = 0x01;
  /** {@code DOE_DELETE_PENDING}: IoDeleteDevice was called. */
  public static final int DOE_DELETE_PENDING = 0x02;
  /** {@code DOE_REMOVE_PENDING}: PnP removal in progress. */
  public static final int DOE_REMOVE_PENDING = 0x04;
  /** {@code DOE_REMOVE_PROCESSED}: PnP removal done. */
  public static final int DOE_REMOVE_PROCESSED = 0x08;
  /** {@code DOE_START_PENDING}: propagated to a device when it attaches. */
  public static final int DOE_START_PENDING = 0x10;
}
