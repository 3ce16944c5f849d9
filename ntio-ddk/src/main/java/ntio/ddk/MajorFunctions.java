package ntio.ddk;

/** {@code IRP_MJ_*}: the major function codes (full). */
public final class MajorFunctions {

  private MajorFunctions() {}

  public static final int IRP_MJ_CREATE = 0x00;
  public static final int IRP_MJ_CREATE_NAMED_PIPE = 0x01;
  public static final int IRP_MJ_CLOSE = 0x02;
  public static final int IRP_MJ_READ = 0x03;
  public static final int IRP_MJ_WRITE = 0x04;
  public static final int IRP_MJ_QUERY_INFORMATION = 0x05;
  public static final int IRP_MJ_SET_INFORMATION = 0x06;
  public static final int IRP_MJ_QUERY_EA = 0x07;
  public static final int IRP_MJ_SET_EA = 0x08;
  public static final int IRP_MJ_FLUSH_BUFFERS = 0x09;
  public static final int IRP_MJ_QUERY_VOLUME_INFORMATION = 0x0A;
  public static final int IRP_MJ_SET_VOLUME_INFORMATION = 0x0B;
  public static final int IRP_MJ_DIRECTORY_CONTROL = 0x0C;
  public static final int IRP_MJ_FILE_SYSTEM_CONTROL = 0x0D;
  public static final int IRP_MJ_DEVICE_CONTROL = 0x0E;
  public static final int IRP_MJ_INTERNAL_DEVICE_CONTROL = 0x0F;
  public static final int IRP_MJ_SHUTDOWN = 0x10;
  public static final int IRP_MJ_LOCK_CONTROL = 0x11;
  public static final int IRP_MJ_CLEANUP = 0x12;
  public static final int IRP_MJ_CREATE_MAILSLOT = 0x13;
  public static final int IRP_MJ_QUERY_SECURITY = 0x14;
  public static final int IRP_MJ_SET_SECURITY = 0x15;
  public static final int IRP_MJ_POWER = 0x16;
  public static final int IRP_MJ_SYSTEM_CONTROL = 0x17;
  public static final int IRP_MJ_DEVICE_CHANGE = 0x18;
  public static final int IRP_MJ_QUERY_QUOTA = 0x19;
  public static final int IRP_MJ_SET_QUOTA = 0x1A;
  public static final int IRP_MJ_PNP = 0x1B;
  /** The highest major function code. */
  public static final int IRP_MJ_MAXIMUM_FUNCTION = 0x1B;

  private static final String[] NAMES = {
    "IRP_MJ_CREATE", "IRP_MJ_CREATE_NAMED_PIPE", "IRP_MJ_CLOSE", "IRP_MJ_READ", "IRP_MJ_WRITE",
    "IRP_MJ_QUERY_INFORMATION", "IRP_MJ_SET_INFORMATION", "IRP_MJ_QUERY_EA", "IRP_MJ_SET_EA",
    "IRP_MJ_FLUSH_BUFFERS", "IRP_MJ_QUERY_VOLUME_INFORMATION", "IRP_MJ_SET_VOLUME_INFORMATION",
    "IRP_MJ_DIRECTORY_CONTROL", "IRP_MJ_FILE_SYSTEM_CONTROL", "IRP_MJ_DEVICE_CONTROL",
    "IRP_MJ_INTERNAL_DEVICE_CONTROL", "IRP_MJ_SHUTDOWN", "IRP_MJ_LOCK_CONTROL", "IRP_MJ_CLEANUP",
    "IRP_MJ_CREATE_MAILSLOT", "IRP_MJ_QUERY_SECURITY", "IRP_MJ_SET_SECURITY", "IRP_MJ_POWER",
    "IRP_MJ_SYSTEM_CONTROL", "IRP_MJ_DEVICE_CHANGE", "IRP_MJ_QUERY_QUOTA", "IRP_MJ_SET_QUOTA",
    "IRP_MJ_PNP"
  };

  /** The code's name, such as {@code IRP_MJ_CREATE}. */
  public static String name(int function) {
    return function >= 0 && function < NAMES.length ? NAMES[function] : String.format("IRP_MJ_0x%02X", function);
  }
}
