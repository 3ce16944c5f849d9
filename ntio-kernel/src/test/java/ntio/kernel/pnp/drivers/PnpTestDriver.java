package ntio.kernel.pnp.drivers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.AccessMask;
import ntio.ddk.BusQueryIdType;
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
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * A WDM test driver for the PnP manager's tests, one class for every role: function driver,
 * filter, or bus driver (whose children are plugged and unplugged through an IOCTL on its FDO).
 * What it does is read from {@code <RegistryPath>\Parameters} at DriverEntry ({@code REG_DWORD}s,
 * 0 when absent): {@code FailEntry}, {@code FailAdd}, {@code FailStart}, {@code VetoQueryRemove},
 * {@code Bus}, {@code NoUnload}. Everything it sees is appended, as {@code <service>:<event>},
 * to the {@code REG_SZ} {@code Log} of {@link #LOG_KEY}, in the order it happened.
 *
 * <p>It keeps NT's contract (T39): an FDO or filter passes REMOVE_DEVICE down, detaches and
 * deletes its device; a child PDO is deleted on REMOVE_DEVICE only once it was unplugged (reported
 * missing).
 */
public final class PnpTestDriver implements DriverEntry {

  /** Where every instance of the driver logs. */
  public static final String LOG_KEY = "\\Registry\\Machine\\System\\PnpTest";

  /** Plugs a child: input the 4-byte little-endian serial number. */
  public static final int IOCTL_PLUG = (0x2A << 16) | (0x1 << 14) | (0x0 << 2);
  /** Unplugs a child: input its serial number. */
  public static final int IOCTL_UNPLUG = (0x2A << 16) | (0x1 << 14) | (0x1 << 2);

  /** An FDO's or filter's extension. */
  static final class Fdo {
    DeviceObject lower;
    DeviceObject pdo;
    final List<DeviceObject> children = new ArrayList<>();
  }

  /** A child PDO's extension. */
  static final class Child {
    final int serial;
    final DeviceObject bus;
    volatile boolean present = true;

    Child(int serial, DeviceObject bus) {
      this.serial = serial;
      this.bus = bus;
    }
  }

  private KernelServices services;
  private String service;
  private final AtomicInteger devices = new AtomicInteger();
  private int failAdd;
  private int failStart;
  private int vetoQueryRemove;
  private int bus;

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    String key = registryPath.text();
    service = key.substring(key.lastIndexOf('\\') + 1);
    String parameters = key + "\\Parameters";
    log("DriverEntry");
    if (dword(parameters, "FailEntry") != 0) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    failAdd = dword(parameters, "FailAdd");
    failStart = dword(parameters, "FailStart");
    vetoQueryRemove = dword(parameters, "VetoQueryRemove");
    bus = dword(parameters, "Bus");
    driver.driverExtension().setAddDevice(this::addDevice);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, this::pnp);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this::control);
    if (dword(parameters, "NoUnload") == 0) {
      driver.setDriverUnload(unloading -> log("Unload"));
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    log("AddDevice");
    if (failAdd != 0) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    Fdo extension = new Fdo();
    KernelServices.DeviceResult created = services.createDevice(driver, extension,
        UnicodeString.of("\\Device\\" + service + devices.incrementAndGet()), DeviceTypes.FILE_DEVICE_UNKNOWN,
        0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    DeviceObject fdo = created.device();
    KernelServices.DeviceResult lower = services.attachDeviceToDeviceStack(fdo, pdo);
    if (!lower.status().isSuccess()) {
      services.deleteDevice(fdo);
      return lower.status();
    }
    extension.lower = lower.device();
    extension.pdo = pdo;
    fdo.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus pnp(DeviceObject device, Irp irp) {
    int minor = irp.currentStackLocation().minorFunction();
    if (device.deviceExtension() instanceof Child child) {
      return childPnp(device, child, irp, minor);
    }
    Fdo fdo = (Fdo) device.deviceExtension();
    switch (minor) {
      case PnpMinorFunctions.IRP_MN_START_DEVICE -> {
        log("START");
        if (failStart != 0) {
          return complete(irp, NtStatus.STATUS_DEVICE_NOT_READY);
        }
      }
      case PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE -> {
        log("QUERY_REMOVE");
        if (vetoQueryRemove != 0) {
          return complete(irp, NtStatus.STATUS_DEVICE_BUSY);
        }
      }
      case PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE -> log("CANCEL_REMOVE");
      case PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL -> log("SURPRISE_REMOVAL");
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> {
        log("REMOVE");
        // The bus goes: its children, already removed by the PnP manager (children first), go
        // with it, as a bus driver deletes its remaining PDOs on its own REMOVE_DEVICE.
        List<DeviceObject> children;
        synchronized (fdo.children) {
          children = List.copyOf(fdo.children);
          fdo.children.clear();
        }
        for (DeviceObject child : children) {
          ((Child) child.deviceExtension()).present = false;
          log("DeletePdo" + ((Child) child.deviceExtension()).serial);
          services.deleteDevice(child);
        }
        irp.skipCurrentStackLocation();
        NtStatus status = services.callDriver(fdo.lower, irp);
        services.detachDevice(fdo.lower);
        services.deleteDevice(device);
        return status;
      }
      case PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS -> {
        if (bus != 0 && irp.currentStackLocation().queryDeviceRelationsType() == DeviceRelationType.BUS_RELATIONS) {
          List<DeviceObject> present = new ArrayList<>();
          synchronized (fdo.children) {
            for (DeviceObject child : fdo.children) {
              if (((Child) child.deviceExtension()).present) {
                services.referenceObject(child);
                present.add(child);
              }
            }
          }
          irp.ioStatus().setInformationPointer(new DeviceRelations(present));
          irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
        }
      }
      default -> {
      }
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(fdo.lower, irp);
  }

  private NtStatus childPnp(DeviceObject device, Child child, Irp irp, int minor) {
    switch (minor) {
      case PnpMinorFunctions.IRP_MN_QUERY_ID -> {
        int type = irp.currentStackLocation().queryIdType();
        String id = switch (type) {
          case BusQueryIdType.BUS_QUERY_DEVICE_ID -> "PNPTEST\\CHILD";
          case BusQueryIdType.BUS_QUERY_INSTANCE_ID -> Integer.toString(child.serial);
          case BusQueryIdType.BUS_QUERY_HARDWARE_IDS -> "PnpTest\\Child\0PnpTest\\AnyChild";
          default -> null;
        };
        if (id != null) {
          irp.ioStatus().setInformationPointer(id);
          return complete(irp, NtStatus.STATUS_SUCCESS);
        }
      }
      case PnpMinorFunctions.IRP_MN_START_DEVICE, PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE,
          PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE, PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL -> {
        return complete(irp, NtStatus.STATUS_SUCCESS);
      }
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> {
        if (!child.present) {
          log("DeletePdo" + child.serial);
          Fdo busFdo = (Fdo) child.bus.deviceExtension();
          synchronized (busFdo.children) {
            busFdo.children.remove(device);
          }
          services.deleteDevice(device);
        }
        return complete(irp, NtStatus.STATUS_SUCCESS);
      }
      default -> {
      }
    }
    NtStatus status = irp.ioStatus().status();
    services.completeRequest(irp, 0);
    return status;
  }

  private NtStatus control(DeviceObject device, Irp irp) {
    if (!(device.deviceExtension() instanceof Fdo fdo) || bus == 0) {
      return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    int code = irp.currentStackLocation().ioControlCode();
    int serial = ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (code == IOCTL_PLUG) {
      KernelServices.DeviceResult created = services.createDevice(device.driverObject(),
          new Child(serial, device), null, DeviceTypes.FILE_DEVICE_UNKNOWN,
          DeviceTypes.FILE_AUTOGENERATED_DEVICE_NAME, false);
      if (!created.status().isSuccess()) {
        return complete(irp, created.status());
      }
      created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
      synchronized (fdo.children) {
        fdo.children.add(created.device());
      }
    } else if (code == IOCTL_UNPLUG) {
      synchronized (fdo.children) {
        for (DeviceObject child : fdo.children) {
          if (((Child) child.deviceExtension()).serial == serial) {
            ((Child) child.deviceExtension()).present = false;
          }
        }
      }
    } else {
      return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    services.invalidateDeviceRelations(fdo.pdo, DeviceRelationType.BUS_RELATIONS);
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  private NtStatus succeed(DeviceObject device, Irp irp) {
    return complete(irp, NtStatus.STATUS_SUCCESS);
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, 0);
    return status;
  }

  private int dword(String key, String name) {
    KernelServices.HandleResult opened = services.openKey(UnicodeString.of(key), AccessMask.KEY_READ);
    if (!opened.status().isSuccess()) {
      return 0;
    }
    try {
      KernelServices.ValueResult value = services.queryValueKey(opened.handle(), UnicodeString.of(name));
      return value.status().isSuccess() ? value.value().dwordValue().orElse(0) : 0;
    } finally {
      services.close(opened.handle());
    }
  }

  /**
   * Appends {@code <service>:<event>;} to the shared log. The read and the write are one step under
   * a lock every image shares: each image has its own copy of this class, but {@link #LOG_KEY} is
   * a string constant, interned once for the whole JVM. Without it a driver's Unload on a System
   * worker and another driver's REMOVE on the PnP worker could each read the old log and one
   * event would be lost.
   */
  private void log(String event) {
    synchronized (LOG_KEY) {
      append(event);
    }
  }

  private void append(String event) {
    KernelServices.HandleResult key = services.createKey(UnicodeString.of(LOG_KEY),
        AccessMask.KEY_READ | AccessMask.KEY_WRITE, 0);
    if (!key.status().isSuccess()) {
      return;
    }
    try {
      KernelServices.ValueResult old = services.queryValueKey(key.handle(), UnicodeString.of("Log"));
      String text = old.status().isSuccess() ? old.value().stringValue().orElse("") : "";
      services.setValueKey(key.handle(), RegValue.string("Log", text + service + ":" + event + ";"));
    } finally {
      services.close(key.handle());
    }
  }
}
