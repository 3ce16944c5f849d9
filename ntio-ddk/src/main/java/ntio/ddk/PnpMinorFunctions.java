package ntio.ddk;

/**
 * {@code IRP_MN_*} for {@code IRP_MJ_PNP}: the Plug and Play minor function codes (full, as
 * {@code wdm.h} numbers them). The PnP manager sends these to the top of a device's stack; each
 * driver in the stack handles the ones it knows and passes the IRP down.
 */
public final class PnpMinorFunctions {

  private PnpMinorFunctions() {}

  public static final int IRP_MN_START_DEVICE = 0x00;
  public static final int IRP_MN_QUERY_REMOVE_DEVICE = 0x01;
  public static final int IRP_MN_REMOVE_DEVICE = 0x02;
  public static final int IRP_MN_CANCEL_REMOVE_DEVICE = 0x03;
  public static final int IRP_MN_STOP_DEVICE = 0x04;
  public static final int IRP_MN_QUERY_STOP_DEVICE = 0x05;
  public static final int IRP_MN_CANCEL_STOP_DEVICE = 0x06;
  public static final int IRP_MN_QUERY_DEVICE_RELATIONS = 0x07;
  public static final int IRP_MN_QUERY_INTERFACE = 0x08;
  public static final int IRP_MN_QUERY_CAPABILITIES = 0x09;
  public static final int IRP_MN_QUERY_RESOURCES = 0x0A;
  public static final int IRP_MN_QUERY_RESOURCE_REQUIREMENTS = 0x0B;
  public static final int IRP_MN_QUERY_DEVICE_TEXT = 0x0C;
  public static final int IRP_MN_FILTER_RESOURCE_REQUIREMENTS = 0x0D;
  public static final int IRP_MN_READ_CONFIG = 0x0F;
  public static final int IRP_MN_WRITE_CONFIG = 0x10;
  public static final int IRP_MN_EJECT = 0x11;
  public static final int IRP_MN_SET_LOCK = 0x12;
  public static final int IRP_MN_QUERY_ID = 0x13;
  public static final int IRP_MN_QUERY_PNP_DEVICE_STATE = 0x14;
  public static final int IRP_MN_QUERY_BUS_INFORMATION = 0x15;
  public static final int IRP_MN_DEVICE_USAGE_NOTIFICATION = 0x16;
  public static final int IRP_MN_SURPRISE_REMOVAL = 0x17;
  public static final int IRP_MN_DEVICE_ENUMERATED = 0x19;

  private static final String[] NAMES = {
    "IRP_MN_START_DEVICE", "IRP_MN_QUERY_REMOVE_DEVICE", "IRP_MN_REMOVE_DEVICE",
    "IRP_MN_CANCEL_REMOVE_DEVICE", "IRP_MN_STOP_DEVICE", "IRP_MN_QUERY_STOP_DEVICE",
    "IRP_MN_CANCEL_STOP_DEVICE", "IRP_MN_QUERY_DEVICE_RELATIONS", "IRP_MN_QUERY_INTERFACE",
    "IRP_MN_QUERY_CAPABILITIES", "IRP_MN_QUERY_RESOURCES", "IRP_MN_QUERY_RESOURCE_REQUIREMENTS",
    "IRP_MN_QUERY_DEVICE_TEXT", "IRP_MN_FILTER_RESOURCE_REQUIREMENTS", null, "IRP_MN_READ_CONFIG",
    "IRP_MN_WRITE_CONFIG", "IRP_MN_EJECT", "IRP_MN_SET_LOCK", "IRP_MN_QUERY_ID",
    "IRP_MN_QUERY_PNP_DEVICE_STATE", "IRP_MN_QUERY_BUS_INFORMATION",
    "IRP_MN_DEVICE_USAGE_NOTIFICATION", "IRP_MN_SURPRISE_REMOVAL", null, "IRP_MN_DEVICE_ENUMERATED"
  };

  /** The code's name, such as {@code IRP_MN_START_DEVICE}. */
  public static String name(int minorFunction) {
    String name = minorFunction >= 0 && minorFunction < NAMES.length ? NAMES[minorFunction] : null;
    return name != null ? name : String.format("IRP_MN_0x%02X", minorFunction);
  }
}
