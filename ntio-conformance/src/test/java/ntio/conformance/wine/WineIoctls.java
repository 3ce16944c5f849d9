package ntio.conformance.wine;

import static ntio.ddk.IoControlCodes.FILE_ANY_ACCESS;
import static ntio.ddk.IoControlCodes.METHOD_BUFFERED;
import static ntio.ddk.IoControlCodes.METHOD_NEITHER;
import static ntio.ddk.IoControlCodes.METHOD_OUT_DIRECT;
import static ntio.ddk.IoControlCodes.ctlCode;

import java.nio.charset.StandardCharsets;
import ntio.ddk.DeviceTypes;

/**
 * What both halves of the Wine port share: the control codes, names and strings of Wine's {@code
 * dlls/ntoskrnl.exe/tests/driver.h} (same function numbers and methods), and the suites the
 * kernel half reports into, one per upstream kernel test function. Packed into the driver image.
 */
public final class WineIoctls {

  private WineIoctls() {}

  public static final int BASIC_IOCTL = code(0x800, METHOD_BUFFERED);
  public static final int MAIN_TEST = code(0x801, METHOD_BUFFERED);
  public static final int LOAD_DRIVER = code(0x802, METHOD_BUFFERED);
  public static final int RESET_CANCEL = code(0x803, METHOD_BUFFERED);
  public static final int TEST_CANCEL = code(0x804, METHOD_BUFFERED);
  public static final int GET_CANCEL_COUNT = code(0x805, METHOD_BUFFERED);
  public static final int DETACH = code(0x806, METHOD_BUFFERED);
  public static final int GET_CREATE_COUNT = code(0x807, METHOD_BUFFERED);
  public static final int GET_CLOSE_COUNT = code(0x808, METHOD_BUFFERED);
  public static final int GET_FSCONTEXT = code(0x809, METHOD_BUFFERED);
  public static final int RETURN_STATUS_BUFFERED = code(0x80a, METHOD_BUFFERED);
  public static final int RETURN_STATUS_DIRECT = code(0x80a, METHOD_OUT_DIRECT);
  public static final int RETURN_STATUS_NEITHER = code(0x80a, METHOD_NEITHER);
  public static final int COMPLETION = code(0x80c, METHOD_NEITHER);

  /** {@code teststr} of driver.h, with its terminating NUL as {@code sizeof} counts it. */
  public static final byte[] TESTSTR = "Wine is not an emulator\0".getBytes(StandardCharsets.US_ASCII);

  public static final String DEVICE_NAME = "\\Device\\WineTestDriver";
  public static final String UPPER_NAME = "\\Device\\WineTestUpper";
  public static final String LINK_NAME = "\\DosDevices\\WineTestDriver";
  /** What {@code CreateFile("\\\\.\\WineTestDriver")} opens. */
  public static final String WIN32_NAME = "\\??\\WineTestDriver";
  public static final String SERVICE = "WineTestDriver";
  public static final String SERVICE2 = "WineTestDriver2";
  public static final String SERVICE3 = "WineTestDriver3";
  public static final String DRIVER2_KEY =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\" + SERVICE2;

  // Suites: one per upstream function whose checks run in kernel mode.
  public static final String SUITE_DRIVER_ENTRY = "wine-DriverEntry";
  public static final String SUITE_IRP_STRUCT = "wine-test_irp_struct";
  public static final String SUITE_LOAD_DRIVER = "wine-test_load_driver";
  public static final String SUITE_ATTACH = "wine-test_IoAttachDeviceToDeviceStack";
  public static final String SUITE_OBJECT_NAME = "wine-test_object_name";
  public static final String SUITE_DRIVER_EXTENSION = "wine-test_driver_object_extension";
  public static final String SUITE_CALL_DRIVER = "wine-test_call_driver";
  public static final String SUITE_CANCEL_IRP = "wine-test_cancel_irp";
  public static final String SUITE_COMPLETION = "wine-test_completion";
  public static final String SUITE_UNLOAD = "wine-driver_Unload";

  private static int code(int function, int method) {
    return ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, function, method, FILE_ANY_ACCESS);
  }
}
