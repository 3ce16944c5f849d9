package ntio.conformance.wine;

import java.util.Optional;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;

/**
 * Kernel test functions of Wine's {@code dlls/ntoskrnl.exe/tests/driver.c} (wine-mirror/wine)
 * about devices and the driver object, run in the main test's dispatch routine.
 */
final class WineKernelDevices {

  private WineKernelDevices() {}

  /** driver.c, test_IoAttachDeviceToDeviceStack. */
  static void testAttachDeviceToDeviceStack(WineTestDriver d, KernelOk ok) {
    KernelServices services = d.services;
    DeviceObject dev1 = create(d, ok);
    DeviceObject dev2 = create(d, ok);
    DeviceObject dev3 = create(d, ok);
    if (dev1 == null || dev2 == null || dev3 == null) {
      return;
    }
    dev1.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    dev2.clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);

    var ret = services.attachDeviceToDeviceStack(dev2, dev1);
    ok.ok(ret.device() == dev1, "IoAttachDeviceToDeviceStack returned %s, expected %s", ret.device(), dev1);
    ok.ok(dev1.attachedDevice() == dev2, "dev1->AttachedDevice = %s, expected %s", dev1.attachedDevice(), dev2);
    ok.ok(dev2.attachedDevice() == null, "dev2->AttachedDevice = %s", dev2.attachedDevice());
    ok.ok(dev1.stackSize() == 1, "dev1->StackSize = %d", dev1.stackSize());
    ok.ok(dev2.stackSize() == 2, "dev2->StackSize = %d", dev2.stackSize());

    ret = services.attachDeviceToDeviceStack(dev3, dev1);
    ok.ok(ret.device() == dev2, "IoAttachDeviceToDeviceStack returned %s, expected %s", ret.device(), dev2);
    ok.ok(dev1.attachedDevice() == dev2, "dev1->AttachedDevice = %s, expected %s", dev1.attachedDevice(), dev2);
    ok.ok(dev2.attachedDevice() == dev3, "dev2->AttachedDevice = %s, expected %s", dev2.attachedDevice(), dev3);
    ok.ok(dev3.attachedDevice() == null, "dev3->AttachedDevice = %s", dev3.attachedDevice());
    ok.ok(dev1.stackSize() == 1, "dev1->StackSize = %d", dev1.stackSize());
    ok.ok(dev2.stackSize() == 2, "dev2->StackSize = %d", dev2.stackSize());
    ok.ok(dev3.stackSize() == 3, "dev3->StackSize = %d", dev3.stackSize());

    services.detachDevice(dev1);
    ok.ok(dev1.attachedDevice() == null, "dev1->AttachedDevice = %s", dev1.attachedDevice());
    ok.ok(dev2.attachedDevice() == dev3, "dev2->AttachedDevice = %s", dev2.attachedDevice());

    services.detachDevice(dev2);
    ok.ok(dev2.attachedDevice() == null, "dev2->AttachedDevice = %s", dev2.attachedDevice());
    ok.ok(dev1.stackSize() == 1, "dev1->StackSize = %d", dev1.stackSize());
    ok.ok(dev2.stackSize() == 2, "dev2->StackSize = %d", dev2.stackSize());
    ok.ok(dev3.stackSize() == 3, "dev3->StackSize = %d", dev3.stackSize());

    services.deleteDevice(dev1);
    services.deleteDevice(dev2);
    services.deleteDevice(dev3);
  }

  private static DeviceObject create(WineTestDriver d, KernelOk ok) {
    var created = d.services.createDevice(d.driver, null, null, DeviceTypes.FILE_DEVICE_UNKNOWN,
        DeviceTypes.FILE_DEVICE_SECURE_OPEN, false);
    ok.ok(created.status().equals(NtStatus.STATUS_SUCCESS), "IoCreateDevice failed: %s", created.status());
    return created.device();
  }

  /**
   * driver.c, test_object_name: the named device's name is {@code \Device\WineTestDriver}, of
   * that length. ntio has no ObQueryNameString (its buffer sizes) and gives drivers no event,
   * thread or process objects, whose names upstream checks next.
   */
  static void testObjectName(WineTestDriver d, KernelOk ok) {
    Optional<String> name = d.lowerDevice.deviceName();
    ok.ok(name.isPresent() && name.get().equals(WineIoctls.DEVICE_NAME), "got name %s", name);
    ok.ok(name.map(String::length).orElse(0) == WineIoctls.DEVICE_NAME.length(), "got length %s",
        name.map(String::length));
  }

  /**
   * driver.c, test_driver_object_extension: an extension with the client id NULL is allocated,
   * found again, refused a second time with STATUS_OBJECT_NAME_COLLISION, and another id finds
   * nothing.
   */
  static void testDriverObjectExtension(WineTestDriver d, KernelOk ok) {
    KernelServices services = d.services;
    Object[] made = new Object[1];
    NtStatus status = services.allocateDriverObjectExtension(d.driver, null, () -> {
      made[0] = new byte[100];
      return made[0];
    });
    ok.ok(status.equals(NtStatus.STATUS_SUCCESS), "got %s", status);
    ok.ok(made[0] != null, "got NULL");
    Object got = services.getDriverObjectExtension(d.driver, null);
    ok.ok(got == made[0] && got != null, "got %s != %s", got, made[0]);

    Object[] second = new Object[1];
    status = services.allocateDriverObjectExtension(d.driver, null, () -> {
      second[0] = new byte[100];
      return second[0];
    });
    ok.ok(status.equals(NtStatus.STATUS_OBJECT_NAME_COLLISION), "got %s", status);
    ok.ok(second[0] == null, "got %s", second[0]);

    got = services.getDriverObjectExtension(d.driver, Integer.valueOf(0xdead));
    ok.ok(got == null, "got %s", got);
  }
}
