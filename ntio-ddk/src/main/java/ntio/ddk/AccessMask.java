package ntio.ddk;

/**
 * Access rights. Models {@code ACCESS_MASK} and its standard, generic and type-specific bits
 * (full). A mask is a plain {@code int}; this class holds the constants and a printer.
 */
public final class AccessMask {

  private AccessMask() {}

  // Standard rights.
  public static final int DELETE = 0x00010000;
  public static final int READ_CONTROL = 0x00020000;
  public static final int WRITE_DAC = 0x00040000;
  public static final int WRITE_OWNER = 0x00080000;
  public static final int SYNCHRONIZE = 0x00100000;
  public static final int STANDARD_RIGHTS_REQUIRED = 0x000F0000;
  public static final int STANDARD_RIGHTS_READ = READ_CONTROL;
  public static final int STANDARD_RIGHTS_WRITE = READ_CONTROL;
  public static final int STANDARD_RIGHTS_EXECUTE = READ_CONTROL;
  public static final int STANDARD_RIGHTS_ALL = 0x001F0000;
  public static final int SPECIFIC_RIGHTS_ALL = 0x0000FFFF;
  public static final int ACCESS_SYSTEM_SECURITY = 0x01000000;
  public static final int MAXIMUM_ALLOWED = 0x02000000;

  // Generic rights.
  public static final int GENERIC_ALL = 0x10000000;
  public static final int GENERIC_EXECUTE = 0x20000000;
  public static final int GENERIC_WRITE = 0x40000000;
  public static final int GENERIC_READ = 0x80000000;
  public static final int GENERIC_RIGHTS = GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL;

  // Files and devices.
  public static final int FILE_READ_DATA = 0x0001;
  public static final int FILE_LIST_DIRECTORY = 0x0001;
  public static final int FILE_WRITE_DATA = 0x0002;
  public static final int FILE_ADD_FILE = 0x0002;
  public static final int FILE_APPEND_DATA = 0x0004;
  public static final int FILE_READ_EA = 0x0008;
  public static final int FILE_WRITE_EA = 0x0010;
  public static final int FILE_EXECUTE = 0x0020;
  public static final int FILE_TRAVERSE = 0x0020;
  public static final int FILE_DELETE_CHILD = 0x0040;
  public static final int FILE_READ_ATTRIBUTES = 0x0080;
  public static final int FILE_WRITE_ATTRIBUTES = 0x0100;
  public static final int FILE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF;
  public static final int FILE_GENERIC_READ =
      STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE;
  public static final int FILE_GENERIC_WRITE =
      STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA
          | FILE_APPEND_DATA | SYNCHRONIZE;
  public static final int FILE_GENERIC_EXECUTE =
      STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE;

  // Object directories.
  public static final int DIRECTORY_QUERY = 0x0001;
  public static final int DIRECTORY_TRAVERSE = 0x0002;
  public static final int DIRECTORY_CREATE_OBJECT = 0x0004;
  public static final int DIRECTORY_CREATE_SUBDIRECTORY = 0x0008;
  public static final int DIRECTORY_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0xF;

  // Symbolic links.
  public static final int SYMBOLIC_LINK_QUERY = 0x0001;
  public static final int SYMBOLIC_LINK_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | 0x1;

  // Registry keys.
  public static final int KEY_QUERY_VALUE = 0x0001;
  public static final int KEY_SET_VALUE = 0x0002;
  public static final int KEY_CREATE_SUB_KEY = 0x0004;
  public static final int KEY_ENUMERATE_SUB_KEYS = 0x0008;
  public static final int KEY_NOTIFY = 0x0010;
  public static final int KEY_CREATE_LINK = 0x0020;
  public static final int KEY_READ =
      (STANDARD_RIGHTS_READ | KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY) & ~SYNCHRONIZE;
  public static final int KEY_WRITE =
      (STANDARD_RIGHTS_WRITE | KEY_SET_VALUE | KEY_CREATE_SUB_KEY) & ~SYNCHRONIZE;
  public static final int KEY_EXECUTE = KEY_READ;
  public static final int KEY_ALL_ACCESS =
      (STANDARD_RIGHTS_ALL | KEY_QUERY_VALUE | KEY_SET_VALUE | KEY_CREATE_SUB_KEY
              | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY | KEY_CREATE_LINK)
          & ~SYNCHRONIZE;

  // Events.
  public static final int EVENT_QUERY_STATE = 0x0001;
  public static final int EVENT_MODIFY_STATE = 0x0002;
  public static final int EVENT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3;

  /** The mask as {@code 0x001F01FF}. */
  public static String toString(int mask) {
    return String.format("0x%08X", mask);
  }
}
