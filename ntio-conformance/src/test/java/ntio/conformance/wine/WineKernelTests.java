package ntio.conformance.wine;

import java.util.function.Consumer;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;

/**
 * The kernel-mode test functions of Wine's {@code dlls/ntoskrnl.exe/tests/driver.c}
 * (wine-mirror/wine) that ntio can express, run from {@code IOCTL_WINETEST_MAIN_TEST} as upstream's
 * {@code main_test} and {@code main_test_task} run them: the first group in the dispatch routine,
 * the second on a System worker thread (upstream's work item), after which the main test's
 * request is completed. Each reports into its own suite, so the user-mode half has one JUnit
 * test per upstream function. Checks on fields ntio does not model ({@code CurrentLocation},
 * {@code Control}, {@code Tail.Overlay.Thread}, {@code UserEvent}) are left out; everything else
 * keeps upstream's expected values.
 */
final class WineKernelTests {

  private WineKernelTests() {}

  /** driver.c, main_test and main_test_task. */
  static NtStatus mainTest(WineTestDriver d, DeviceObject device, Irp irp) {
    run(d, WineIoctls.SUITE_IRP_STRUCT, ok -> testIrpStruct(d, ok, irp, device));
    run(d, WineIoctls.SUITE_LOAD_DRIVER, ok -> testLoadDriver(d, ok));
    run(d, WineIoctls.SUITE_ATTACH, ok -> WineKernelDevices.testAttachDeviceToDeviceStack(d, ok));
    run(d, WineIoctls.SUITE_OBJECT_NAME, ok -> WineKernelDevices.testObjectName(d, ok));
    run(d, WineIoctls.SUITE_DRIVER_EXTENSION, ok -> WineKernelDevices.testDriverObjectExtension(d, ok));
    irp.markPending();
    NtStatus queued = d.services.queueWorkItem(d.lowerDevice, () -> {
      run(d, WineIoctls.SUITE_CALL_DRIVER, ok -> WineKernelRequests.testCallDriver(d, ok, d.lowerDevice));
      run(d, WineIoctls.SUITE_CANCEL_IRP, ok -> WineKernelRequests.testCancelIrp(d, ok, d.lowerDevice));
      run(d, WineIoctls.SUITE_COMPLETION, ok -> WineKernelRequests.testCompletion(d, ok));
      irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
      irp.ioStatus().setInformation(0);
      d.services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    });
    if (!queued.isSuccess()) {
      irp.ioStatus().setStatus(queued);
      d.services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    }
    return NtStatus.STATUS_PENDING;
  }

  /** driver.c, completion_ioctl: the upper device passes the request down, the lower ends it. */
  static NtStatus completionIoctl(WineTestDriver d, DeviceObject device, Irp irp) {
    KernelOk ok = d.completionOk;
    if (device == d.upperDevice) {
      if (ok != null) {
        ok.ok(!irp.pendingReturned(), "upper: got pending flag %s", irp.pendingReturned());
      }
      irp.copyCurrentStackLocationToNext();
      irp.setCompletionRoutine(WineKernelRequests.completionCallback(d), d.upperDevice, true, true, true);
      return d.services.callDriver(d.lowerDevice, irp);
    }
    if (ok != null) {
      ok.ok(device == d.lowerDevice, "Got wrong device.");
      ok.ok(!irp.pendingReturned(), "lower: got pending flag %s", irp.pendingReturned());
    }
    if (d.completionLowerPending) {
      irp.markPending();
      return NtStatus.STATUS_PENDING;
    }
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    d.services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * driver.c, test_irp_struct: the request's device, file object and stack location, then an
   * IRP the driver allocates with one stack location, whose completion routine runs when it is
   * completed and gets it back (STATUS_MORE_PROCESSING_REQUIRED) for IoFreeIrp. Upstream completes
   * the allocated IRP after stepping its stack location by hand; ntio does not expose the
   * location, so the IRP is sent to the lower device's flush routine, which pends it, and
   * completed there.
   */
  private static void testIrpStruct(WineTestDriver d, KernelOk ok, Irp irp, DeviceObject device) {
    var stack = irp.currentStackLocation();
    ok.ok(device == d.upperDevice, "Expected device %s, got %s.", d.upperDevice, device);
    ok.ok(d.lastCreatedFile != null, "last_created_file = NULL");
    ok.ok(stack.fileObject() == d.lastCreatedFile, "FileObject != last_created_file");
    ok.ok(stack.deviceObject() == d.upperDevice, "unexpected DeviceObject");
    ok.ok(stack.fileObject() != null && stack.fileObject().deviceObject() == d.lowerDevice,
        "unexpected FileObject->DeviceObject");

    KernelServices services = d.services;
    Irp allocated = services.allocateIrp(1, null);
    ok.ok(allocated != null, "IoAllocateIrp(1) returned NULL");
    if (allocated == null) {
      return;
    }
    ok.ok(allocated.stackCount() == 1, "Got unexpected StackCount %d.", allocated.stackCount());
    boolean[] completed = new boolean[1];
    allocated.nextStackLocation().setMajorFunction(ntio.ddk.MajorFunctions.IRP_MJ_FLUSH_BUFFERS);
    allocated.setCompletionRoutine((dev, done, context) -> {
      completed[0] = true;
      return NtStatus.STATUS_MORE_PROCESSING_REQUIRED;
    }, null, true, true, true);
    d.flushOk = ok;
    NtStatus sent = services.callDriver(d.lowerDevice, allocated);
    ok.ok(sent.equals(NtStatus.STATUS_PENDING), "IoCallDriver returned %s", sent);
    allocated.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    services.completeRequest(allocated, IoControlCodes.IO_NO_INCREMENT);
    ok.ok(completed[0], "IRP completion was not called.");
    services.freeIrp(allocated);
    d.flushOk = null;
  }

  /**
   * driver.c, test_load_driver: driver2's service key holds its ImagePath; ZwLoadDriver loads it,
   * a second ZwLoadDriver is STATUS_IMAGE_ALREADY_LOADED, ZwUnloadDriver unloads it. (The image
   * notify routine and the ZwOpenFile of the image have no ntio counterpart.)
   */
  private static void testLoadDriver(WineTestDriver d, KernelOk ok) {
    KernelServices services = d.services;
    var key = services.openKey(ntio.ddk.UnicodeString.of(WineIoctls.DRIVER2_KEY), ntio.ddk.AccessMask.KEY_READ);
    ok.ok(key.status().equals(NtStatus.STATUS_SUCCESS), "open driver2's key: got %s", key.status());
    if (key.status().isSuccess()) {
      var imagePath = services.queryValueKey(key.handle(), ntio.ddk.UnicodeString.of("ImagePath"));
      ok.ok(imagePath.status().equals(NtStatus.STATUS_SUCCESS), "Got unexpected status %s.", imagePath.status());
      ok.ok(imagePath.status().isSuccess() && imagePath.value().expandStringValue().isPresent(),
          "image_path.Buffer is NULL.");
      services.close(key.handle());
    }
    ntio.ddk.UnicodeString name = ntio.ddk.UnicodeString.of(WineIoctls.DRIVER2_KEY);
    NtStatus ret = services.loadDriver(name);
    ok.ok(ret.equals(NtStatus.STATUS_SUCCESS), "got %s", ret);
    ret = services.loadDriver(name);
    ok.ok(ret.equals(NtStatus.STATUS_IMAGE_ALREADY_LOADED), "got %s", ret);
    ret = services.unloadDriver(name);
    ok.ok(ret.equals(NtStatus.STATUS_SUCCESS), "got %s", ret);
  }

  /** Runs one kernel test function in its suite; a Java exception is a failed check, not a crash. */
  static void run(WineTestDriver d, String suite, Consumer<KernelOk> body) {
    KernelOk ok = KernelOk.begin(d.services, suite);
    try {
      body.accept(ok);
    } catch (RuntimeException | Error e) {
      ok.ok(false, "threw %s", e);
    }
  }
}
