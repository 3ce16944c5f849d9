package ntio.ddk;

/**
 * {@code BUS_QUERY_ID_TYPE}: which identifier an {@code IRP_MN_QUERY_ID} asks the bus driver for
 * (full). The PnP manager builds a bus-enumerated device's instance path from the device ID and
 * the instance ID ({@code <enumerator>\<device>\<instance>}), and finds its driver by the hardware
 * IDs. A multi-string answer ({@code HardwareIDs}, {@code CompatibleIDs}) is one Java string with
 * {@code '\0'} between the strings.
 */
public final class BusQueryIdType {

  private BusQueryIdType() {}

  public static final int BUS_QUERY_DEVICE_ID = 0;
  public static final int BUS_QUERY_HARDWARE_IDS = 1;
  public static final int BUS_QUERY_COMPATIBLE_IDS = 2;
  public static final int BUS_QUERY_INSTANCE_ID = 3;
  public static final int BUS_QUERY_DEVICE_SERIAL_NUMBER = 4;
  public static final int BUS_QUERY_CONTAINER_ID = 5;

  private static final String[] NAMES = {
    "BusQueryDeviceID", "BusQueryHardwareIDs", "BusQueryCompatibleIDs", "BusQueryInstanceID",
    "BusQueryDeviceSerialNumber", "BusQueryContainerID"
  };

  /** The type's name as {@code wdm.h} spells it, such as {@code BusQueryDeviceID}. */
  public static String name(int type) {
    return type >= 0 && type < NAMES.length ? NAMES[type] : "BusQueryIdType(" + type + ")";
  }
}
