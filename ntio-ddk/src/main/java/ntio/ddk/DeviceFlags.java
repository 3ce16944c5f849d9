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

  /**
   * The names of the set {@code DO_…} bits of {@code flags} and {@code DOE_…} bits of {@code
   * extensionFlags}, lowest bit first, as {@code !devobj} prints them; an unnamed bit is shown in
   * hex.
   */
  public static java.util.List<String> names(int flags, int extensionFlags) {
    java.util.List<String> names = new java.util.ArrayList<>();
    collect(names, flags, DO_NAMES, "DO_");
    collect(names, extensionFlags, DOE_NAMES, "DOE_");
    return names;
  }

  private static final String[] DO_NAMES = {
    null, "DO_VERIFY_VOLUME", "DO_BUFFERED_IO", "DO_EXCLUSIVE", "DO_DIRECT_IO", "DO_MAP_IO_BUFFER",
    "DO_DEVICE_HAS_NAME", "DO_DEVICE_INITIALIZING", null, null, "DO_NEVER_LAST_DEVICE",
    "DO_SHUTDOWN_REGISTERED", "DO_BUS_ENUMERATED_DEVICE", "DO_POWER_PAGABLE", null, null,
    "DO_LOW_PRIORITY_FILESYSTEM",
  };

  private static final String[] DOE_NAMES = {
    "DOE_UNLOAD_PENDING", "DOE_DELETE_PENDING", "DOE_REMOVE_PENDING", "DOE_REMOVE_PROCESSED",
    "DOE_START_PENDING",
  };

  private static void collect(java.util.List<String> names, int bits, String[] known, String prefix) {
    for (int bit = 0; bit < 32; bit++) {
      if ((bits & (1 << bit)) == 0) {
        continue;
      }
      String name = bit < known.length ? known[bit] : null;
      names.add(name != null ? name : prefix + "0x" + Integer.toHexString(1 << bit));
    }
  }
}
