package ntio.conformance.reactos;

import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceObjectExtension;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverFlags;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The kernel half of ReactOS's device object test. Port of reactos/reactos
 * {@code modules/rostests/kmtests/ntos_io/IoDeviceObject_drv.c}: {@code TestEntry},
 * {@code TestUnload}, {@code TestDispatch}, {@code TestDriverObject}, {@code TestZwLoad},
 * {@code TestZwUnload}, {@code TestLowerDeviceKernelAPI}, {@code TestDeviceCreated},
 * {@code TestDeviceDeletion}, {@code TestDeviceCreateDelete}, {@code TestAttachDevice} and
 * {@code TestDetachDevice}, in upstream's order, with upstream's expected values. Each check is
 * recorded under {@code <function>(<call site>): <what>} for {@link IoDeviceObjectTest}.
 *
 * <p>Not ported, because ntio has no such thing (listed in {@code docs/conformance/reactos.md}):
 * the {@code Size} fields (ntio objects have no memory layout), {@code DriverStart},
 * {@code DriverSize}, {@code DriverExtension == DriverObject + 1}, the page alignment and
 * placement of the registry path buffer, the pool tags and types of the name buffers (no pool
 * behind a {@code UnicodeString}), {@code ActiveThreadCount} and the {@code StartIo*} fields (no
 * start I/O).
 */
public final class IoDeviceObjectDriver implements DriverEntry {

  /** The suite the checks are recorded under. */
  static final String SUITE = "ReactOS-IoDeviceObject";

  static final String REGISTRY_PATH =
      "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\Kmtest-IoDeviceObject";
  static final String LOWER_DRIVER_REG_PATH =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Kmtest-IoHelper";
  static final String MISSING_REG_PATH =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\deadbeef";

  private enum DriverStatus { ENTRY, IRP, UNLOAD }

  private KmtChecks ok;
  private DriverObject thisDriverObject;
  private DeviceObject mainDeviceObject;
  private DeviceObject attachDeviceObject;

  /** Needed by the image loader. */
  public IoDeviceObjectDriver() {}

  /** {@code TestEntry}, then what the standalone framework does after it (set DriverUnload). */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    ok = KmtChecks.forSuite(driver, SUITE);
    thisDriverObject = driver;
    testDriverObject(driver, registryPath, DriverStatus.ENTRY);
    testDeviceCreateDelete(driver);
    if (mainDeviceObject != null) {
      boolean loaded = testZwLoad(driver, registryPath, LOWER_DRIVER_REG_PATH);
      if (loaded) {
        testAttachDevice(mainDeviceObject, "\\Device\\Kmtest-IoHelper");
        if (attachDeviceObject != null) {
          testLowerDeviceKernelApi("TestLowerDeviceKernelAPI(attached)", mainDeviceObject);
        }
        // Unload the lower driver without detaching from its device.
        testZwUnload(driver, registryPath, LOWER_DRIVER_REG_PATH);
        testLowerDeviceKernelApi("TestLowerDeviceKernelAPI(lower unloaded)", mainDeviceObject);
      }
    }
    for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
      driver.setMajorFunction(i, null);
    }
    DispatchRoutine dispatch = this::testDispatch;
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, dispatch);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, dispatch);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, dispatch);
    // kmtest_standalone.c's DriverEntry registers its DriverUnload after TestEntry returns.
    driver.setDriverUnload(this::testUnload);
    return NtStatus.STATUS_SUCCESS;
  }

  /** {@code TestUnload} (the framework's DriverUnload deletes no device: none was created for it). */
  private void testUnload(DriverObject driver) {
    if (attachDeviceObject != null) {
      testDeviceDeletion("TestDeviceDeletion(main, attached)", mainDeviceObject, false, true);
      testDeviceDeletion("TestDeviceDeletion(lower)", attachDeviceObject, true, false);
      testDetachDevice(attachDeviceObject);
    }
    testDeviceDeletion("TestDeviceDeletion(main, detached)", mainDeviceObject, false, false);
    testDriverObject(driver, null, DriverStatus.UNLOAD);
    if (mainDeviceObject != null) {
      driver.services().deleteDevice(mainDeviceObject);
    }
  }

  /** {@code TestDispatch}: pass everything down to the attached device once there is one. */
  private NtStatus testDispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    if (attachDeviceObject != null) {
      irp.skipCurrentStackLocation();
      return services.callDriver(attachDeviceObject, irp);
    }
    testDriverObject(device.driverObject(), null, DriverStatus.IRP);
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, 0);
    return NtStatus.STATUS_SUCCESS;
  }

  /** {@code TestDriverObject}. */
  private void testDriverObject(DriverObject driver, UnicodeString registryPath,
      DriverStatus status) {
    String at = switch (status) {
      case ENTRY -> "TestDriverObject(Entry): ";
      case IRP -> "TestDriverObject(Irp): ";
      case UNLOAD -> "TestDriverObject(Unload): ";
    };
    ok.eq(at + "Type", 4, driver.ioType());
    if (status == DriverStatus.ENTRY) {
      ok.same(at + "DeviceObject == NULL", null, driver.deviceObject());
      ok.hex(at + "Flags == DRVO_LEGACY_DRIVER", DriverFlags.DRVO_LEGACY_DRIVER, driver.flags());
      ok.same(at + "DriverExtension->DriverObject", driver,
          driver.driverExtension().driverObject());
      ok.same(at + "DriverExtension->AddDevice == NULL", null,
          driver.driverExtension().addDevice());
      ok.eq(at + "DriverExtension->Count", 0, driver.driverExtension().count());
      ok.eq(at + "RegistryPath", REGISTRY_PATH, text(registryPath));
      ok.eq(at + "RegistryPath MaximumLength == Length", registryPath.length(),
          registryPath.maximumLength());
      UnicodeString serviceKeyName = driver.driverExtension().serviceKeyName();
      ok.eq(at + "ServiceKeyName", "Kmtest-IoDeviceObject", text(serviceKeyName));
      ok.eq(at + "ServiceKeyName MaximumLength == Length + 2", serviceKeyName.length() + 2,
          serviceKeyName.maximumLength());
      ok.eq(at + "ServiceKeyName NUL-terminated", 0, charAfter(serviceKeyName));
      UnicodeString driverName = driver.driverName();
      ok.eq(at + "DriverName", "\\Driver\\Kmtest-IoDeviceObject", text(driverName));
      ok.eq(at + "DriverName MaximumLength == Length", driverName.length(),
          driverName.maximumLength());
      UnicodeString hardwareDatabase = driver.hardwareDatabase();
      ok.eq(at + "HardwareDatabase", "\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM",
          text(hardwareDatabase));
      ok.eq(at + "HardwareDatabase MaximumLength == Length + 2", hardwareDatabase.length() + 2,
          hardwareDatabase.maximumLength());
      ok.eq(at + "HardwareDatabase NUL-terminated", 0, charAfter(hardwareDatabase));
      ok.same(at + "DriverInit == DriverEntry", this, driver.driverInit());
    } else if (status == DriverStatus.IRP) {
      ok.ok(at + "DeviceObject != NULL", driver.deviceObject() != null, null);
      ok.hex(at + "Flags == DRVO_LEGACY_DRIVER | DRVO_INITIALIZED",
          DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED, driver.flags());
    } else {
      ok.ok(at + "DeviceObject != NULL", driver.deviceObject() != null, null);
      ok.hex(at + "Flags == DRVO_LEGACY_DRIVER | DRVO_INITIALIZED | DRVO_UNLOAD_INVOKED",
          DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED
              | DriverFlags.DRVO_UNLOAD_INVOKED, driver.flags());
    }
    // A routine the test never changed: every other unchanged entry must be the same one.
    DispatchRoutine first = driver.majorFunction(1);
    ok.ok(at + "MajorFunction[1] != NULL", first != null, null);
    if (first != null) {
      for (int i = 0; i <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; i++) {
        boolean check = status == DriverStatus.ENTRY
            || (i > 3 && i != MajorFunctions.IRP_MJ_DEVICE_CONTROL);
        if (check) {
          ok.same(at + "MajorFunction[" + i + "] == MajorFunction[1]", first,
              driver.majorFunction(i));
        }
      }
    }
  }

  /** {@code TestZwLoad}. */
  private boolean testZwLoad(DriverObject driver, UnicodeString ownRegistryPath,
      String newDriverRegPath) {
    KernelServices services = driver.services();
    ok.eq("TestZwLoad: load of itself", NtStatus.STATUS_IMAGE_ALREADY_LOADED,
        services.loadDriver(ownRegistryPath));
    ok.eq("TestZwLoad: load of a missing key", NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
        services.loadDriver(UnicodeString.of(MISSING_REG_PATH)));
    NtStatus status = services.loadDriver(UnicodeString.of(newDriverRegPath));
    ok.eq("TestZwLoad: load of the helper", NtStatus.STATUS_SUCCESS, status);
    return status.isSuccess();
  }

  /** {@code TestZwUnload}. */
  private boolean testZwUnload(DriverObject driver, UnicodeString ownRegistryPath,
      String newDriverRegPath) {
    KernelServices services = driver.services();
    // Our own DriverUnload is not set yet, so we cannot be unloaded.
    ok.eq("TestZwUnload: unload of itself", NtStatus.STATUS_INVALID_DEVICE_REQUEST,
        services.unloadDriver(ownRegistryPath));
    ok.eq("TestZwUnload: unload of a missing key", NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
        services.unloadDriver(UnicodeString.of(MISSING_REG_PATH)));
    NtStatus status = services.unloadDriver(UnicodeString.of(newDriverRegPath));
    ok.eq("TestZwUnload: unload of the helper", NtStatus.STATUS_SUCCESS, status);
    return status.isSuccess();
  }

  /** {@code TestLowerDeviceKernelAPI}. */
  private void testLowerDeviceKernelApi(String at, DeviceObject device) {
    KernelServices services = device.driverObject().services();
    DeviceObject lower = services.getLowerDeviceObject(device);
    ok.same(at + ": IoGetLowerDeviceObject", attachDeviceObject, lower);
    if (lower != null) {
      services.dereferenceObject(lower);
    }
    DeviceObject base = services.getDeviceAttachmentBaseRef(device);
    ok.same(at + ": IoGetDeviceAttachmentBaseRef", attachDeviceObject, base);
    if (base != null) {
      services.dereferenceObject(base);
    }
  }

  /** {@code TestDeviceCreated}. */
  private void testDeviceCreated(String at, DeviceObject device, boolean exclusiveAccess) {
    if (device == null) {
      ok.ok(at + ": device", false, null);
      return;
    }
    ok.eq(at + ": Type", 3, device.ioType());
    ok.eq(at + ": ReferenceCount", 0, device.referenceCount());
    ok.same(at + ": DriverObject", thisDriverObject, device.driverObject());
    ok.same(at + ": NextDevice == NULL", null, device.nextDevice());
    ok.same(at + ": AttachedDevice == NULL", null, device.attachedDevice());
    ok.eq(at + ": Characteristics", 0, device.characteristics());
    int flags = DeviceFlags.DO_DEVICE_HAS_NAME | DeviceFlags.DO_DEVICE_INITIALIZING
        | (exclusiveAccess ? DeviceFlags.DO_EXCLUSIVE : 0);
    ok.hex(at + ": Flags", flags, device.flags());
    ok.eq(at + ": DeviceType", DeviceTypes.FILE_DEVICE_UNKNOWN, device.deviceType());
    DeviceObjectExtension extension = device.deviceObjectExtension();
    ok.hex(at + ": ExtensionFlags", 0, extension.extensionFlags());
    ok.eq(at + ": extension Type", 13, extension.ioType());
    ok.same(at + ": extension DeviceObject", device, extension.deviceObject());
    ok.same(at + ": extension AttachedTo == NULL", null, extension.attachedTo());
  }

  /** {@code TestDeviceDeletion}. */
  private void testDeviceDeletion(String at, DeviceObject device, boolean lower,
      boolean attached) {
    if (device == null) {
      ok.ok(at + ": device", false, null);
      return;
    }
    ok.eq(at + ": Type", 3, device.ioType());
    ok.eq(at + ": ReferenceCount", 0, device.referenceCount());
    if (!lower) {
      ok.same(at + ": DriverObject", thisDriverObject, device.driverObject());
    }
    ok.same(at + ": NextDevice == NULL", null, device.nextDevice());
    ok.same(at + ": AttachedDevice", lower ? mainDeviceObject : null, device.attachedDevice());
    ok.hex(at + ": Flags",
        DeviceFlags.DO_DEVICE_HAS_NAME | (lower ? DeviceFlags.DO_EXCLUSIVE : 0), device.flags());
    ok.eq(at + ": DeviceType", DeviceTypes.FILE_DEVICE_UNKNOWN, device.deviceType());
    DeviceObjectExtension extension = device.deviceObjectExtension();
    // Upstream masks the top bit, which Windows sets in some conditions it has not identified.
    ok.hex(at + ": ExtensionFlags == DOE_UNLOAD_PENDING", DeviceFlags.DOE_UNLOAD_PENDING,
        extension.extensionFlags() & 0x7fffffff);
    ok.eq(at + ": extension Type", 13, extension.ioType());
    ok.same(at + ": extension DeviceObject", device, extension.deviceObject());
    ok.same(at + ": extension AttachedTo", lower || !attached ? null : attachDeviceObject,
        extension.attachedTo());
  }

  /** {@code TestDeviceCreateDelete}. */
  private void testDeviceCreateDelete(DriverObject driver) {
    KernelServices services = driver.services();
    KernelServices.DeviceResult wrongDirectory = services.createDevice(driver, null,
        UnicodeString.of("\\Device1\\Kmtest-IoDeviceObject"), DeviceTypes.FILE_DEVICE_UNKNOWN,
        0, false);
    ok.eq("TestDeviceCreateDelete: create in a missing directory",
        NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, wrongDirectory.status());

    UnicodeString name = UnicodeString.of("\\Device\\Kmtest-IoDeviceObject");
    KernelServices.DeviceResult exclusive = services.createDevice(driver, null, name,
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, true);
    ok.eq("TestDeviceCreateDelete: create exclusive", NtStatus.STATUS_SUCCESS,
        exclusive.status());
    testDeviceCreated("TestDeviceCreated(exclusive)", exclusive.device(), true);
    if (exclusive.status().isSuccess()) {
      services.deleteDevice(exclusive.device());
      ok.same("TestDeviceCreateDelete: no device after deleting the exclusive one", null,
          driver.deviceObject());
    }

    KernelServices.DeviceResult shared = services.createDevice(driver, null, name,
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    ok.eq("TestDeviceCreateDelete: create shared", NtStatus.STATUS_SUCCESS, shared.status());
    testDeviceCreated("TestDeviceCreated(shared)", shared.device(), false);
    if (shared.status().isSuccess()) {
      services.deleteDevice(shared.device());
      ok.same("TestDeviceCreateDelete: no device after deleting the shared one", null,
          driver.deviceObject());
    }

    KernelServices.DeviceResult again = services.createDevice(driver, null, name,
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    ok.eq("TestDeviceCreateDelete: create again", NtStatus.STATUS_SUCCESS, again.status());
    if (again.status().isSuccess()) {
      mainDeviceObject = again.device();
    }
  }

  /** {@code TestAttachDevice}: IoAttachDevice returns the device attached to, the helper's. */
  private void testAttachDevice(DeviceObject device, String lowerDeviceName) {
    KernelServices.DeviceResult attached = device.driverObject().services()
        .attachDevice(device, UnicodeString.of(lowerDeviceName));
    ok.eq("TestAttachDevice: IoAttachDevice", NtStatus.STATUS_SUCCESS, attached.status());
    attachDeviceObject = attached.device();
  }

  /** {@code TestDetachDevice}: upstream makes no check here. */
  private void testDetachDevice(DeviceObject attachedDevice) {
    thisDriverObject.services().detachDevice(attachedDevice);
  }

  private static String text(UnicodeString string) {
    return string == null || !string.isReadable() ? null : string.text();
  }

  /** The character just past {@code Length}, or -1 when the buffer ends there. */
  private static int charAfter(UnicodeString string) {
    int index = string.length() / 2;
    char[] buffer = string.buffer();
    return buffer != null && buffer.length > index ? buffer[index] : -1;
  }
}
