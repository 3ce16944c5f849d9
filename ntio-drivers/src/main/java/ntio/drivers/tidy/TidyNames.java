package ntio.drivers.tidy;

import ntio.ddk.PoolTag;

/** Names and constants of the Tidy driver that clients and tests use. */
public final class TidyNames {

  private TidyNames() {}

  /** The control device. */
  public static final String DEVICE_NAME = "\\Device\\Tidy";

  /** The symbolic link to it. */
  public static final String LINK_NAME = "\\??\\Tidy";

  /** The service's {@code Parameters} DWORD that, when non-zero, makes DriverEntry fail at the end. */
  public static final String FAIL_ENTRY = "FailEntry";

  /** The tag of the global buffer, {@code 'Tidy'}. */
  public static final int TAG = PoolTag.of("Tidy");

  /** The global buffer's size: the most a write keeps and a read returns. */
  public static final int BUFFER_SIZE = 64;

  /** Who may open the device: System and administrators (SDDL_DEVOBJ_SYS_ALL_ADM_ALL). */
  public static final String SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)";
}
