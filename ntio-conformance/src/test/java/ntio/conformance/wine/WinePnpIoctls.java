package ntio.conformance.wine;

import static ntio.ddk.IoControlCodes.FILE_ANY_ACCESS;
import static ntio.ddk.IoControlCodes.METHOD_BUFFERED;
import static ntio.ddk.IoControlCodes.ctlCode;

import ntio.ddk.DeviceTypes;

/**
 * What both halves of the PnP port share: the bus and child control codes of Wine's {@code
 * dlls/ntoskrnl.exe/tests/driver.h} ({@code IOCTL_WINETEST_BUS_*}, {@code IOCTL_WINETEST_CHILD_*}),
 * the names, and the suites the kernel half ({@link WinePnpDriver}, driver_pnp.c) reports into,
 * one per group of kernel-mode checks. Packed into the driver image.
 */
public final class WinePnpIoctls {

  private WinePnpIoctls() {}

  public static final int BUS_MAIN = code(0x800);
  public static final int BUS_ADD_CHILD = code(0x804);
  public static final int BUS_REMOVE_CHILD = code(0x805);
  public static final int CHILD_GET_ID = code(0x806);
  public static final int CHILD_MARK_PENDING = code(0x807);
  public static final int CHILD_CHECK_REMOVED = code(0x808);

  /** The service, as upstream's INF names it ({@code AddService=winetest}). */
  public static final String SERVICE = "winetest";
  /** The root device's hardware ID: its last component makes the instance key {@code ROOT\WINETEST}. */
  public static final String HARDWARE_ID = "Root\\winetest";
  /** The root device's device ID, as upstream's {@code test_bus_query_id} expects it. */
  public static final String ROOT_DEVICE_ID = "ROOT\\WINETEST";
  /**
   * The root device's instance ID: the instance key's name. Upstream's is {@code 0}, the name its
   * installer gave ({@code SetupDiCreateDeviceInfo("root\\winetest\\0")}); ntio's installDevice
   * names the first instance {@code 0000}, as Windows' DICD_GENERATE_ID does.
   */
  public static final String ROOT_INSTANCE_ID = "0000";
  /** A child PDO's device name: {@code \Device\winetest_pnp_<id in hex>}. */
  public static String childName(int id) {
    return "\\Device\\winetest_pnp_" + Integer.toHexString(id);
  }

  // Suites.
  public static final String SUITE_BUS_QUERY = "winepnp-test_bus_query";
  public static final String SUITE_QUERY_CAPS = "winepnp-pdo_query_capabilities";
  public static final String SUITE_ADD_CHILD = "winepnp-bus_add_child";
  public static final String SUITE_START = "winepnp-pdo_start_device";
  public static final String SUITE_REMOVE_CHILD = "winepnp-bus_remove_child";
  public static final String SUITE_CHECK_REMOVED = "winepnp-child_check_removed";
  public static final String SUITE_PDO_REMOVE = "winepnp-pdo_remove_device";
  /** Upstream's {@code ok(0, "Unexpected ...")}: holds checks only when something unexpected came. */
  public static final String SUITE_UNEXPECTED = "winepnp-unexpected";

  private static int code(int function) {
    return ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, function, METHOD_BUFFERED, FILE_ANY_ACCESS);
  }
}
