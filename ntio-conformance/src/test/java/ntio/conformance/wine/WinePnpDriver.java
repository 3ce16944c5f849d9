package ntio.conformance.wine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.BusQueryIdType;
import ntio.ddk.DeviceCapabilities;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.DeviceRelations;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.UnicodeString;

/**
 * Port of Wine's {@code dlls/ntoskrnl.exe/tests/driver_pnp.c} (wine-mirror/wine): a WDM bus driver
 * whose AddDevice ({@code driver_add_device}) makes the root device's FDO, whose FDO answers
 * BusRelations with the children added and removed through {@code IOCTL_WINETEST_BUS_ADD_CHILD} /
 * {@code _REMOVE_CHILD} ({@code fdo_ioctl}), and whose child PDOs ({@code pdo_pnp}, {@code
 * pdo_ioctl}) answer IRP_MN_QUERY_ID, IRP_MN_QUERY_CAPABILITIES (setting RawDeviceOK, so that they
 * start with no function driver), keep a queue of pended requests that removal fails with
 * STATUS_DELETE_PENDING, and count the removal IRPs they get. The bus thread and the PnP manager's
 * START / SURPRISE_REMOVAL of a child hand two events to each other ({@code plug_event}, {@code
 * plug_event2}), which proves that IoInvalidateDeviceRelations is asynchronous and neither side
 * blocks the other.
 *
 * <p>Kernel-mode checks report through {@link KernelOk}, one suite per group ({@link
 * WinePnpIoctls}). Not ported: device interfaces ({@code IoRegisterDeviceInterface}, {@code
 * IoSetDeviceInterfaceState}; ntio has none), power IRPs and {@code PoSetPowerState} (ntio has no
 * power manager; upstream's check of it is {@code todo_wine} anyway). Upstream's {@code todo_wine}
 * marks are ignored: the checks keep what Windows does.
 */
public final class WinePnpDriver implements DriverEntry {

  /** Upstream's {@code wait_time}: 500 ms. */
  private static final Duration WAIT = Duration.ofMillis(500);
  /** {@code FILE_DEVICE_BUS_EXTENDER}, the bus FDO's type. */
  private static final int FILE_DEVICE_BUS_EXTENDER = 0x2A;

  /** {@code struct device}: a child PDO's extension. */
  static final class Child {
    final int id;
    volatile boolean removed;
    DeviceObject deviceObject;
    final ArrayDeque<Irp> irpQueue = new ArrayDeque<>();
    final WinePnpEvent plugEvent = new WinePnpEvent();
    final WinePnpEvent plugEvent2 = new WinePnpEvent();

    Child(int id) {
      this.id = id;
    }
  }

  private KernelServices services;
  private DriverObject driverObject;
  private volatile DeviceObject busFdo;
  private volatile DeviceObject busPdo;
  /** {@code device_list}, guarded by itself ({@code driver_lock}). */
  private final List<Child> deviceList = new ArrayList<>();
  private final AtomicInteger removeDeviceCount = new AtomicInteger();
  private final AtomicInteger surpriseRemovalCount = new AtomicInteger();
  private final AtomicInteger queryRemoveDeviceCount = new AtomicInteger();
  private final AtomicInteger cancelRemoveDeviceCount = new AtomicInteger();

  private KernelOk busQuery;
  private KernelOk queryCaps;
  private KernelOk addChild;
  private KernelOk start;
  private KernelOk removeChild;
  private KernelOk checkRemoved;
  private KernelOk pdoRemove;
  private KernelOk unexpected;

  /** Upstream's {@code DriverEntry}. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    driverObject = driver;
    services = driver.services();
    busQuery = KernelOk.begin(services, WinePnpIoctls.SUITE_BUS_QUERY);
    queryCaps = KernelOk.begin(services, WinePnpIoctls.SUITE_QUERY_CAPS);
    addChild = KernelOk.begin(services, WinePnpIoctls.SUITE_ADD_CHILD);
    start = KernelOk.begin(services, WinePnpIoctls.SUITE_START);
    removeChild = KernelOk.begin(services, WinePnpIoctls.SUITE_REMOVE_CHILD);
    checkRemoved = KernelOk.begin(services, WinePnpIoctls.SUITE_CHECK_REMOVED);
    pdoRemove = KernelOk.begin(services, WinePnpIoctls.SUITE_PDO_REMOVE);
    unexpected = KernelOk.begin(services, WinePnpIoctls.SUITE_UNEXPECTED);
    driver.driverExtension().setAddDevice(this::addDevice);
    driver.setDriverUnload(unloading -> { });
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, this::pnp);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this::ioctl);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this::succeed);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Upstream's {@code driver_add_device}: the bus FDO, attached on the root PDO. */
  private NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    KernelServices.DeviceResult created = services.createDevice(driver, null, null,
        FILE_DEVICE_BUS_EXTENDER, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    KernelServices.DeviceResult lower = services.attachDeviceToDeviceStack(created.device(), pdo);
    if (!lower.status().isSuccess()) {
      services.deleteDevice(created.device());
      return lower.status();
    }
    busFdo = created.device();
    busPdo = pdo;
    busFdo.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus succeed(DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    services.completeRequest(irp, 0);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus pnp(DeviceObject device, Irp irp) {
    return device == busFdo ? fdoPnp(irp) : pdoPnp(device, irp);
  }

  /** Upstream's {@code fdo_pnp}, T39's FDO side: REMOVE passes down, detaches, deletes. */
  private NtStatus fdoPnp(Irp irp) {
    DeviceObject fdo = busFdo;
    DeviceObject pdo = busPdo;
    switch (irp.currentStackLocation().minorFunction()) {
      case PnpMinorFunctions.IRP_MN_START_DEVICE, PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL,
          PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE, PnpMinorFunctions.IRP_MN_STOP_DEVICE ->
          irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> {
        irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
        irp.skipCurrentStackLocation();
        NtStatus ret = services.callDriver(pdo, irp);
        services.detachDevice(pdo);
        services.deleteDevice(fdo);
        return ret;
      }
      case PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS -> {
        int type = irp.currentStackLocation().queryDeviceRelationsType();
        if (type == DeviceRelationType.BUS_RELATIONS) {
          List<DeviceObject> devices = new ArrayList<>();
          synchronized (deviceList) {
            for (Child child : deviceList) {
              services.referenceObject(child.deviceObject);
              devices.add(child.deviceObject);
            }
          }
          irp.ioStatus().setInformationPointer(new DeviceRelations(devices));
          irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
        } else if (type != DeviceRelationType.REMOVAL_RELATIONS) {
          unexpected.ok(false, "Unexpected relations type %#x.", type);
        }
      }
      default -> {
      }
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(pdo, irp);
  }

  /** Upstream's {@code query_id}. */
  private NtStatus queryId(Child device, Irp irp, int type) {
    String id = switch (type) {
      case BusQueryIdType.BUS_QUERY_DEVICE_ID -> "wine\\test";
      case BusQueryIdType.BUS_QUERY_INSTANCE_ID -> Integer.toHexString(device.id);
      case BusQueryIdType.BUS_QUERY_HARDWARE_IDS -> "winetest_hardware\0winetest_hardware_" + Integer.toHexString(device.id);
      case BusQueryIdType.BUS_QUERY_COMPATIBLE_IDS -> "winetest_compat\0winetest_compat_" + Integer.toHexString(device.id);
      default -> null;
    };
    if (id == null) {
      if (type == BusQueryIdType.BUS_QUERY_CONTAINER_ID) {
        return NtStatus.STATUS_NOT_SUPPORTED;
      }
      unexpected.ok(false, "Unexpected ID query type %#x.", type);
      return irp.ioStatus().status();
    }
    irp.ioStatus().setInformationPointer(id);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Upstream's {@code pdo_pnp}. */
  private NtStatus pdoPnp(DeviceObject deviceObject, Irp irp) {
    Child device = (Child) deviceObject.deviceExtension();
    NtStatus ret = irp.ioStatus().status();
    switch (irp.currentStackLocation().minorFunction()) {
      case PnpMinorFunctions.IRP_MN_QUERY_ID -> ret = queryId(device, irp, irp.currentStackLocation().queryIdType());
      case PnpMinorFunctions.IRP_MN_START_DEVICE -> {
        synchronized (device.irpQueue) {
          device.irpQueue.clear();
        }
        NtStatus status = device.plugEvent.waitFor(WAIT);
        start.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to wait for child plug event, status %s.", status);
        status = device.plugEvent2.set();
        start.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to set event, status %s.", status);
        status = device.plugEvent.waitFor(WAIT);
        start.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to wait for child plug event, status %s.", status);
        ret = NtStatus.STATUS_SUCCESS;
      }
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> {
        // Should have been checked and reset by IOCTL_WINETEST_CHILD_CHECK_REMOVED.
        pdoRemove.ok(removeDeviceCount.get() == 0, "expected no IRP_MN_REMOVE_DEVICE");
        pdoRemove.ok(surpriseRemovalCount.get() == 0, "expected no IRP_MN_SURPRISE_REMOVAL");
        pdoRemove.ok(queryRemoveDeviceCount.get() == 0, "expected no IRP_MN_QUERY_REMOVE_DEVICE");
        pdoRemove.ok(cancelRemoveDeviceCount.get() == 0, "expected no IRP_MN_CANCEL_REMOVE_DEVICE");
        removeDeviceCount.incrementAndGet();
        clearQueue(device);
        if (device.removed) {
          irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
          services.completeRequest(irp, 0);
          services.deleteDevice(deviceObject);
          return NtStatus.STATUS_SUCCESS;
        }
        ret = NtStatus.STATUS_SUCCESS;
      }
      case PnpMinorFunctions.IRP_MN_QUERY_CAPABILITIES -> {
        DeviceCapabilities caps = irp.currentStackLocation().deviceCapabilities();
        WinePnpCapabilities.checkPnpManagerDefaults(queryCaps, caps);
        // If RawDeviceOK is not set, IRP_MN_START_DEVICE does not come unless there is a
        // function driver (upstream's comment).
        caps.rawDeviceOk = true;
        caps.surpriseRemovalOk = true;
        caps.ejectSupported = true;
        caps.uniqueId = true;
        ret = NtStatus.STATUS_SUCCESS;
      }
      case PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL -> {
        surpriseRemovalCount.incrementAndGet();
        clearQueue(device);
        NtStatus status = device.plugEvent.waitFor(WAIT);
        removeChild.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to wait for child plug event, status %s.", status);
        status = device.plugEvent2.set();
        removeChild.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to set event, status %s.", status);
        ret = NtStatus.STATUS_SUCCESS;
      }
      case PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE -> {
        queryRemoveDeviceCount.incrementAndGet();
        clearQueue(device);
        ret = NtStatus.STATUS_SUCCESS;
      }
      case PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE -> {
        cancelRemoveDeviceCount.incrementAndGet();
        ret = NtStatus.STATUS_SUCCESS;
      }
      default -> {
      }
    }
    irp.ioStatus().setStatus(ret);
    services.completeRequest(irp, 0);
    return ret;
  }

  /** Upstream's {@code irp_queue_clear}: every queued request fails with STATUS_DELETE_PENDING. */
  private void clearQueue(Child device) {
    while (true) {
      Irp irp;
      synchronized (device.irpQueue) {
        irp = device.irpQueue.pollFirst();
      }
      if (irp == null) {
        return;
      }
      irp.ioStatus().setStatus(NtStatus.STATUS_DELETE_PENDING);
      services.completeRequest(irp, 0);
    }
  }

  /** Upstream's {@code driver_ioctl}. */
  private NtStatus ioctl(DeviceObject device, Irp irp) {
    int code = irp.currentStackLocation().ioControlCode();
    NtStatus status = device == busFdo ? fdoIoctl(irp, code) : pdoIoctl(device, irp, code);
    if (!status.equals(NtStatus.STATUS_PENDING)) {
      irp.ioStatus().setStatus(status);
      services.completeRequest(irp, 0);
    }
    return status;
  }

  private static int inputId(Irp irp) {
    return ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  /** Upstream's {@code fdo_ioctl}. */
  private NtStatus fdoIoctl(Irp irp, int code) {
    if (code == WinePnpIoctls.BUS_MAIN) {
      WinePnpCapabilities.testBusQuery(services, busQuery, busPdo, busFdo);
      return NtStatus.STATUS_SUCCESS;
    }
    if (code != WinePnpIoctls.BUS_ADD_CHILD && code != WinePnpIoctls.BUS_REMOVE_CHILD) {
      unexpected.ok(false, "Unexpected ioctl %#x.", code);
      return NtStatus.STATUS_NOT_IMPLEMENTED;
    }
    if (irp.currentStackLocation().inputBufferLength() < 4) {
      return NtStatus.STATUS_BUFFER_TOO_SMALL;
    }
    int id = inputId(irp);
    return code == WinePnpIoctls.BUS_ADD_CHILD ? addChild(id) : removeChild(id);
  }

  private NtStatus addChild(int id) {
    Child device = new Child(id);
    KernelServices.DeviceResult created = services.createDevice(driverObject, device,
        UnicodeString.of(WinePnpIoctls.childName(id)), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    addChild.ok(created.status().isSuccess(), "Failed to create device, status %s.", created.status());
    if (!created.status().isSuccess()) {
      return created.status();
    }
    device.deviceObject = created.device();
    synchronized (deviceList) {
      deviceList.add(device);
    }
    created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);

    invalidateAndHandOver(addChild, device);
    // IoInvalidateDeviceRelations here must not deadlock either.
    services.invalidateDeviceRelations(busPdo, DeviceRelationType.BUS_RELATIONS);
    NtStatus status = device.plugEvent.set();
    addChild.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to set event, status %s.", status);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * IoInvalidateDeviceRelations twice, then the hand-over both ways, as upstream: this thread sets
   * plug_event and waits for plug_event2, which the PnP manager's START or SURPRISE_REMOVAL of the
   * child sets — so the invalidation is asynchronous and neither thread blocks the other.
   */
  private void invalidateAndHandOver(KernelOk ok, Child device) {
    services.invalidateDeviceRelations(busPdo, DeviceRelationType.BUS_RELATIONS);
    services.invalidateDeviceRelations(busPdo, DeviceRelationType.BUS_RELATIONS);
    NtStatus status = device.plugEvent.set();
    ok.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to set event, status %s.", status);
    status = device.plugEvent2.waitFor(WAIT);
    ok.ok(status.equals(NtStatus.STATUS_SUCCESS), "Failed to wait for child plug event, status %s.", status);
  }

  private NtStatus removeChild(int id) {
    Child found = null;
    synchronized (deviceList) {
      for (Child device : deviceList) {
        if (device.id == id) {
          found = device;
          deviceList.remove(device);
          device.removed = true;
          break;
        }
      }
    }
    if (found == null) {
      removeChild.ok(false, "no child %d", id);
      return NtStatus.STATUS_NO_SUCH_DEVICE;
    }
    invalidateAndHandOver(removeChild, found);
    removeChild.ok(surpriseRemovalCount.get() == 1, "Got %d surprise removal events.", surpriseRemovalCount.get());
    // No IRP_MN_REMOVE_DEVICE until every handle to the device is closed, and the test holds one
    // while it waits for this request.
    removeChild.ok(removeDeviceCount.get() == 0, "Got %d remove events.", removeDeviceCount.get());
    return NtStatus.STATUS_SUCCESS;
  }

  /** Upstream's {@code pdo_ioctl}. */
  private NtStatus pdoIoctl(DeviceObject deviceObject, Irp irp, int code) {
    Child device = (Child) deviceObject.deviceExtension();
    if (code == WinePnpIoctls.CHILD_GET_ID) {
      if (irp.currentStackLocation().outputBufferLength() < 4) {
        return NtStatus.STATUS_BUFFER_TOO_SMALL;
      }
      ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN).putInt(0, device.id);
      irp.ioStatus().setInformation(4);
      return NtStatus.STATUS_SUCCESS;
    }
    if (code == WinePnpIoctls.CHILD_MARK_PENDING) {
      irp.markPending();
      synchronized (device.irpQueue) {
        device.irpQueue.addLast(irp);
      }
      return NtStatus.STATUS_PENDING;
    }
    if (code == WinePnpIoctls.CHILD_CHECK_REMOVED) {
      checkRemoved.ok(removeDeviceCount.get() == 0, "expected no IRP_MN_REMOVE_DEVICE");
      checkRemoved.ok(surpriseRemovalCount.get() == 1, "expected IRP_MN_SURPRISE_REMOVAL");
      checkRemoved.ok(queryRemoveDeviceCount.get() == 0, "expected no IRP_MN_QUERY_REMOVE_DEVICE");
      checkRemoved.ok(cancelRemoveDeviceCount.get() == 0, "expected no IRP_MN_CANCEL_REMOVE_DEVICE");
      removeDeviceCount.set(0);
      surpriseRemovalCount.set(0);
      queryRemoveDeviceCount.set(0);
      cancelRemoveDeviceCount.set(0);
      return NtStatus.STATUS_SUCCESS;
    }
    unexpected.ok(false, "Unexpected ioctl %#x.", code);
    return NtStatus.STATUS_NOT_IMPLEMENTED;
  }
}
