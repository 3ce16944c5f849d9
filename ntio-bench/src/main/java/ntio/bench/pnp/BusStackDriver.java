package ntio.bench.pnp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ntio.ddk.AccessMask;
import ntio.ddk.BusQueryIdType;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.DeviceRelations;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.UnicodeString;

/**
 * The PnP benchmark's WDM driver, one image per role, after the toaster family's shape: with the
 * {@code REG_DWORD} {@code <RegistryPath>\Parameters\Bus} = 1 it is a bus driver whose FDO ({@code
 * \Device\<service>}) plugs and unplugs child PDOs on {@link #IOCTL_PLUG} / {@link #IOCTL_UNPLUG}
 * and reports them in BusRelations; otherwise it is a pass-through function driver or filter that
 * attaches an unnamed device on AddDevice. Every role keeps NT's contract (T39): an FDO or filter
 * passes REMOVE_DEVICE down, detaches and deletes its device; a child PDO is deleted on
 * REMOVE_DEVICE once its bus no longer reports it.
 *
 * <p>It records nothing (no registry writes on any path), so the benchmark times the PnP manager
 * and the stack, not a log. The bus keeps its children by serial number, so plug and unplug cost
 * the same at any number of children; only BusRelations lists them all, as any bus driver does.
 */
public final class BusStackDriver implements DriverEntry {

  /** {@code FILE_DEVICE_BUS_EXTENDER}. */
  private static final int FILE_DEVICE_BUS_EXTENDER = 0x2A;

  /** {@code IO_NO_INCREMENT}. */
  private static final int IO_NO_INCREMENT = 0;

  /** {@code CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x0, METHOD_BUFFERED, FILE_READ_DATA)}: plug. */
  public static final int IOCTL_PLUG = IoControlCodes.ctlCode(FILE_DEVICE_BUS_EXTENDER, 0x0,
      IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);
  /** {@code CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x1, METHOD_BUFFERED, FILE_READ_DATA)}: unplug. */
  public static final int IOCTL_UNPLUG = IoControlCodes.ctlCode(FILE_DEVICE_BUS_EXTENDER, 0x1,
      IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS);

  /** The children's device ID; the instance ID is the serial number. */
  public static final String CHILD_DEVICE_ID = "PNPBENCH\\CHILD";
  /** The children's hardware ID, which {@code DriverDatabase\DeviceIds} maps to their drivers. */
  public static final String CHILD_HARDWARE_ID = "PnpBench\\Child";

  /** An FDO's or filter's extension; a bus FDO's children by serial number. */
  static final class Fdo {
    DeviceObject lower;
    DeviceObject pdo;
    final Map<Integer, DeviceObject> children = new LinkedHashMap<>();
  }

  /** A child PDO's extension. */
  static final class Child {
    final int serial;
    final Fdo bus;
    boolean present = true;

    Child(int serial, Fdo bus) {
      this.serial = serial;
      this.bus = bus;
    }
  }

  private KernelServices services;
  private String service;
  private boolean bus;

  /** Called by the loader, once per load of the image. */
  public BusStackDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    String key = registryPath.text();
    service = key.substring(key.lastIndexOf('\\') + 1);
    bus = busParameter(key + "\\Parameters");
    for (int major : new int[] {MajorFunctions.IRP_MJ_CREATE, MajorFunctions.IRP_MJ_CLEANUP,
        MajorFunctions.IRP_MJ_CLOSE}) {
      driver.setMajorFunction(major, this::succeed);
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this::control);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, this::pnp);
    driver.driverExtension().setAddDevice(this::addDevice);
    // A PnP driver needs a DriverUnload to be unloaded at all; its devices are gone by then.
    driver.setDriverUnload(unloading -> { });
    return NtStatus.STATUS_SUCCESS;
  }

  /** AddDevice: a device of this role on top of {@code pdo}'s stack (T38). */
  private NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    Fdo extension = new Fdo();
    UnicodeString name = bus ? UnicodeString.of("\\Device\\" + service) : null;
    KernelServices.DeviceResult made =
        services.createDevice(driver, extension, name, DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (made.status().isSuccess()) {
      KernelServices.DeviceResult below = services.attachDeviceToDeviceStack(made.device(), pdo);
      if (!below.status().isSuccess()) {
        services.deleteDevice(made.device());
        return below.status();
      }
      extension.lower = below.device();
      extension.pdo = pdo;
      made.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    }
    return made.status();
  }

  private NtStatus pnp(DeviceObject device, Irp irp) {
    int minor = irp.currentStackLocation().minorFunction();
    if (device.deviceExtension() instanceof Child child) {
      return childPnp(device, child, irp, minor);
    }
    Fdo fdo = (Fdo) device.deviceExtension();
    if (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
      // A bus going deletes the children it still has; the PnP manager removed them first.
      for (DeviceObject child : takeChildren(fdo)) {
        services.deleteDevice(child);
      }
      DeviceObject below = fdo.lower;
      irp.skipCurrentStackLocation();
      NtStatus passed = services.callDriver(below, irp);
      services.detachDevice(below);
      services.deleteDevice(device);
      return passed;
    }
    if (minor == PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS && bus
        && irp.currentStackLocation().queryDeviceRelationsType() == DeviceRelationType.BUS_RELATIONS) {
      List<DeviceObject> present = new ArrayList<>();
      synchronized (fdo.children) {
        for (DeviceObject child : fdo.children.values()) {
          if (((Child) child.deviceExtension()).present) {
            services.referenceObject(child);
            present.add(child);
          }
        }
      }
      irp.ioStatus().setInformationPointer(new DeviceRelations(present));
      irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(fdo.lower, irp);
  }

  private static List<DeviceObject> takeChildren(Fdo fdo) {
    synchronized (fdo.children) {
      List<DeviceObject> children = new ArrayList<>(fdo.children.values());
      fdo.children.clear();
      return children;
    }
  }

  /**
   * A child PDO is the bottom of its stack, so it completes every PnP IRP: the IDs it answers,
   * success for the state changes, and the status the PnP manager preset (STATUS_NOT_SUPPORTED)
   * for the rest.
   */
  private NtStatus childPnp(DeviceObject device, Child child, Irp irp, int minor) {
    if (minor == PnpMinorFunctions.IRP_MN_QUERY_ID) {
      int type = irp.currentStackLocation().queryIdType();
      String id = type == BusQueryIdType.BUS_QUERY_DEVICE_ID ? CHILD_DEVICE_ID
          : type == BusQueryIdType.BUS_QUERY_INSTANCE_ID ? String.valueOf(child.serial)
          : type == BusQueryIdType.BUS_QUERY_HARDWARE_IDS ? CHILD_HARDWARE_ID : null;
      if (id == null) {
        return complete(irp, irp.ioStatus().status());
      }
      irp.ioStatus().setInformationPointer(id);
      return succeed(device, irp);
    }
    if (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
      // Deleted only once unplugged (reported missing); otherwise kept for the next bring-up.
      boolean unplugged;
      synchronized (child.bus.children) {
        unplugged = !child.present && child.bus.children.remove(child.serial, device);
      }
      if (unplugged) {
        services.deleteDevice(device);
      }
      return succeed(device, irp);
    }
    boolean stateChange = minor == PnpMinorFunctions.IRP_MN_START_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL;
    return stateChange ? succeed(device, irp) : complete(irp, irp.ioStatus().status());
  }

  private NtStatus control(DeviceObject device, Irp irp) {
    if (!bus || !(device.deviceExtension() instanceof Fdo fdo)) {
      return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    int code = irp.currentStackLocation().ioControlCode();
    byte[] input = irp.systemBuffer();
    if (input == null || input.length < 4) {
      return complete(irp, NtStatus.STATUS_INVALID_PARAMETER);
    }
    int serial = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (code == IOCTL_PLUG) {
      synchronized (fdo.children) {
        if (fdo.children.containsKey(serial)) {
          return complete(irp, NtStatus.STATUS_INVALID_PARAMETER);
        }
      }
      KernelServices.DeviceResult created = services.createDevice(device.driverObject(), new Child(serial, fdo),
          null, DeviceTypes.FILE_DEVICE_UNKNOWN, DeviceTypes.FILE_AUTOGENERATED_DEVICE_NAME, false);
      if (!created.status().isSuccess()) {
        return complete(irp, created.status());
      }
      created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
      synchronized (fdo.children) {
        fdo.children.put(serial, created.device());
      }
    } else if (code == IOCTL_UNPLUG) {
      synchronized (fdo.children) {
        DeviceObject child = fdo.children.get(serial);
        if (child == null) {
          return complete(irp, NtStatus.STATUS_NO_SUCH_DEVICE);
        }
        ((Child) child.deviceExtension()).present = false;
      }
    } else {
      return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    // IoInvalidateDeviceRelations only queues: the PnP manager enumerates on its worker.
    services.invalidateDeviceRelations(fdo.pdo, DeviceRelationType.BUS_RELATIONS);
    return succeed(device, irp);
  }

  /** Create, cleanup and close: nothing to do. */
  private NtStatus succeed(DeviceObject device, Irp irp) {
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  /** IoCompleteRequest with {@code status}, which is also what the dispatch routine returns. */
  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /** Whether {@code <parameters>\Bus} is a non-zero REG_DWORD. */
  private boolean busParameter(String parameters) {
    KernelServices.HandleResult key = services.openKey(UnicodeString.of(parameters), AccessMask.KEY_READ);
    boolean isBus = false;
    if (key.status().isSuccess()) {
      KernelServices.ValueResult found = services.queryValueKey(key.handle(), UnicodeString.of("Bus"));
      isBus = found.status().isSuccess() && found.value().dwordValue().orElse(0) != 0;
      services.close(key.handle());
    }
    return isBus;
  }
}
