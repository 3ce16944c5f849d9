package ntio.conformance.wine;

import ntio.conformance.kernel.KernelOk;
import ntio.ddk.BusQueryIdType;
import ntio.ddk.DeviceCapabilities;
import ntio.ddk.DeviceObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;

/**
 * The capability and ID checks of Wine's {@code driver_pnp.c} (wine-mirror/wine): what the PnP
 * manager sends a PDO in IRP_MN_QUERY_CAPABILITIES ({@code pdo_pnp}), and {@code test_bus_query}
 * with {@code test_bus_query_caps} and {@code test_bus_query_id}: QUERY_CAPABILITIES and QUERY_ID
 * sent by the bus driver itself to the root device's stack, which its FDO passes down to the PnP
 * manager's root PDO. Packed into the driver image.
 */
final class WinePnpCapabilities {

  private WinePnpCapabilities() {}

  /** {@code PowerDeviceD0}, {@code PowerDeviceD3}. */
  private static final int D0 = 1;
  private static final int D3 = 4;

  /** {@code pdo_pnp}'s IRP_MN_QUERY_CAPABILITIES checks: the PnP manager's defaults. */
  static void checkPnpManagerDefaults(KernelOk ok, DeviceCapabilities caps) {
    if (!ok.ok(caps != null, "Parameters.DeviceCapabilities.Capabilities is set")) {
      return;
    }
    ok.ok(caps.size == DeviceCapabilities.SIZE, "wrong size %d", caps.size);
    ok.ok(caps.version == 1, "wrong version %d", caps.version);
    flags(ok, caps, false);
    ok.ok(caps.address == 0xffffffff, "got Address %#x", caps.address);
    ok.ok(caps.uiNumber == 0xffffffff, "got UINumber %#x", caps.uiNumber);
    for (int i = 0; i < DeviceCapabilities.POWER_SYSTEM_MAXIMUM; i++) {
      ok.ok(caps.deviceState[i] == DeviceCapabilities.POWER_DEVICE_UNSPECIFIED, "got DeviceState[%d] %d", i,
          caps.deviceState[i]);
    }
    ok.ok(caps.systemWake == 0, "got SystemWake %d", caps.systemWake);
    ok.ok(caps.deviceWake == 0, "got DeviceWake %d", caps.deviceWake);
    ok.ok(caps.d1Latency == 0, "got D1Latency %d", caps.d1Latency);
    ok.ok(caps.d2Latency == 0, "got D2Latency %d", caps.d2Latency);
    ok.ok(caps.d3Latency == 0, "got D3Latency %d", caps.d3Latency);
  }

  /** Each of the twenty capability bits is {@code expected}. */
  private static void flags(KernelOk ok, DeviceCapabilities caps, boolean expected) {
    check(ok, "DeviceD1", caps.deviceD1, expected);
    check(ok, "DeviceD2", caps.deviceD2, expected);
    check(ok, "LockSupported", caps.lockSupported, expected);
    check(ok, "EjectSupported", caps.ejectSupported, expected);
    check(ok, "Removable", caps.removable, expected);
    check(ok, "DockDevice", caps.dockDevice, expected);
    check(ok, "UniqueID", caps.uniqueId, expected);
    check(ok, "SilentInstall", caps.silentInstall, expected);
    check(ok, "RawDeviceOK", caps.rawDeviceOk, expected);
    check(ok, "SurpriseRemovalOK", caps.surpriseRemovalOk, expected);
    check(ok, "WakeFromD0", caps.wakeFromD0, expected);
    check(ok, "WakeFromD1", caps.wakeFromD1, expected);
    check(ok, "WakeFromD2", caps.wakeFromD2, expected);
    check(ok, "WakeFromD3", caps.wakeFromD3, expected);
    check(ok, "HardwareDisabled", caps.hardwareDisabled, expected);
    check(ok, "NonDynamic", caps.nonDynamic, expected);
    check(ok, "WarmEjectSupported", caps.warmEjectSupported, expected);
    check(ok, "NoDisplayInUI", caps.noDisplayInUi, expected);
  }

  private static void check(KernelOk ok, String name, boolean value, boolean expected) {
    ok.ok(value == expected, "got %s %s", name, value);
  }

  /** Upstream's {@code test_bus_query}. */
  static void testBusQuery(KernelServices services, KernelOk ok, DeviceObject busPdo, DeviceObject busFdo) {
    DeviceObject top = services.getAttachedDeviceReference(busPdo);
    ok.ok(top == busFdo, "wrong top device");
    try {
      testBusQueryCaps(services, ok, top);
      testBusQueryId(services, ok, top);
    } finally {
      services.dereferenceObject(top);
    }
  }

  /** A PnP request to {@code top}'s stack, built and sent as upstream's are; returns the IRP. */
  private static Irp send(KernelServices services, KernelOk ok, DeviceObject top, int minor, int parameter,
      DeviceCapabilities caps) {
    // Upstream builds it with IoBuildSynchronousFsdRequest(IRP_MJ_PNP, ...); ntio's builder takes
    // the FSD majors only, so a flush request is built and its location made a PnP one.
    var built = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, top, null, 0, 0);
    Irp irp = built.irp();
    irp.ioStatus().setStatus(NtStatus.STATUS_NOT_SUPPORTED);
    if (caps != null) {
      irp.nextStackLocation().setQueryCapabilities(caps);
    } else {
      irp.nextStackLocation().setPnp(minor, parameter);
    }
    NtStatus ret = services.callDriver(top, irp);
    if (ret.equals(NtStatus.STATUS_PENDING)) {
      ret = built.await();
    }
    ok.ok(ret.equals(NtStatus.STATUS_SUCCESS), "got %s", ret);
    ok.ok(irp.ioStatus().status().equals(NtStatus.STATUS_SUCCESS), "got %s", irp.ioStatus().status());
    return irp;
  }

  /** Upstream's {@code test_bus_query_caps}: the root PDO changes no field but the power map. */
  private static void testBusQueryCaps(KernelServices services, KernelOk ok, DeviceObject top) {
    DeviceCapabilities caps = new DeviceCapabilities();
    caps.size = DeviceCapabilities.SIZE;
    caps.version = 1;
    send(services, ok, top, PnpMinorFunctions.IRP_MN_QUERY_CAPABILITIES, 0, caps);
    ok.ok(caps.size == DeviceCapabilities.SIZE, "wrong size %d", caps.size);
    ok.ok(caps.version == 1, "wrong version %d", caps.version);
    flags(ok, caps, false);
    numbers(ok, caps, 0, 0);

    // memset(&caps, 0xff, ...): every bit set, every number 0xffffffff.
    caps = new DeviceCapabilities();
    caps.size = DeviceCapabilities.SIZE;
    caps.version = 1;
    caps.deviceD1 = caps.deviceD2 = caps.lockSupported = caps.ejectSupported = caps.removable = true;
    caps.dockDevice = caps.uniqueId = caps.silentInstall = caps.rawDeviceOk = caps.surpriseRemovalOk = true;
    caps.wakeFromD0 = caps.wakeFromD1 = caps.wakeFromD2 = caps.wakeFromD3 = caps.hardwareDisabled = true;
    caps.nonDynamic = caps.warmEjectSupported = caps.noDisplayInUi = true;
    caps.address = caps.uiNumber = caps.systemWake = caps.deviceWake = -1;
    caps.d1Latency = caps.d2Latency = caps.d3Latency = -1;
    java.util.Arrays.fill(caps.deviceState, -1);
    send(services, ok, top, PnpMinorFunctions.IRP_MN_QUERY_CAPABILITIES, 0, caps);
    ok.ok(caps.size == DeviceCapabilities.SIZE, "wrong size %d", caps.size);
    ok.ok(caps.version == 1, "wrong version %d", caps.version);
    flags(ok, caps, true);
    numbers(ok, caps, 0xffffffff, 0xffffffff);
  }

  /**
   * After the root PDO answered: Address and UINumber are {@code address}, the power map is
   * Windows' ({@link #powerMap}), SystemWake, DeviceWake and the latencies are {@code rest} — as
   * the sender set them.
   */
  private static void numbers(KernelOk ok, DeviceCapabilities caps, int address, int rest) {
    ok.ok(caps.address == address, "got Address %#x", caps.address);
    ok.ok(caps.uiNumber == address, "got UINumber %#x", caps.uiNumber);
    powerMap(ok, caps);
    ok.ok(caps.systemWake == rest, "got SystemWake %#x", caps.systemWake);
    ok.ok(caps.deviceWake == rest, "got DeviceWake %#x", caps.deviceWake);
    ok.ok(caps.d1Latency == rest, "got D1Latency %#x", caps.d1Latency);
    ok.ok(caps.d2Latency == rest, "got D2Latency %#x", caps.d2Latency);
    ok.ok(caps.d3Latency == rest, "got D3Latency %#x", caps.d3Latency);
  }

  /**
   * The power map Windows' root PDO writes: Unspecified for PowerSystemUnspecified, D0 for
   * Working, D3 for every sleeping state, hibernate and shutdown (upstream's {@code todo_wine}
   * checks: what Windows does and Wine does not).
   */
  private static void powerMap(KernelOk ok, DeviceCapabilities caps) {
    ok.ok(caps.deviceState[0] == DeviceCapabilities.POWER_DEVICE_UNSPECIFIED,
        "got DeviceState[PowerSystemUnspecified] %d", caps.deviceState[0]);
    ok.ok(caps.deviceState[1] == D0, "got DeviceState[PowerSystemWorking] %d", caps.deviceState[1]);
    for (int i = 2; i < DeviceCapabilities.POWER_SYSTEM_MAXIMUM; i++) {
      ok.ok(caps.deviceState[i] == D3, "got DeviceState[%d] %d", i, caps.deviceState[i]);
    }
  }

  /** Upstream's {@code test_bus_query_id}: the root PDO's device and instance IDs. */
  private static void testBusQueryId(KernelServices services, KernelOk ok, DeviceObject top) {
    Irp irp = send(services, ok, top, PnpMinorFunctions.IRP_MN_QUERY_ID, BusQueryIdType.BUS_QUERY_DEVICE_ID, null);
    Object id = irp.ioStatus().informationPointer();
    ok.ok(WinePnpIoctls.ROOT_DEVICE_ID.equals(id), "got id '%s'", id);
    irp = send(services, ok, top, PnpMinorFunctions.IRP_MN_QUERY_ID, BusQueryIdType.BUS_QUERY_INSTANCE_ID, null);
    id = irp.ioStatus().informationPointer();
    // Upstream's installer named the instance "0" (SetupDiCreateDeviceInfo("root\\winetest\\0"));
    // ntio's installDevice numbers instances as Windows' DICD_GENERATE_ID does, so the root PDO's
    // answer, the instance key's name, is "0000" here.
    ok.ok(WinePnpIoctls.ROOT_INSTANCE_ID.equals(id), "got id '%s'", id);
  }
}
