package ntio.conformance.wine;

import ntio.conformance.kernel.KernelOk;
import ntio.ddk.BuiltRequest;
import ntio.ddk.CancelRoutine;
import ntio.ddk.CompletionRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;

/**
 * Kernel test functions of Wine's {@code dlls/ntoskrnl.exe/tests/driver.c} (wine-mirror/wine)
 * about sending, cancelling and completing requests, run on a System worker thread as upstream's
 * {@code main_test_task} runs them. ntio has no IoBuildAsynchronousFsdRequest: where upstream
 * builds an asynchronous flush, this port builds the synchronous one, whose request is the same
 * for every check made here.
 */
final class WineKernelRequests {

  private WineKernelRequests() {}

  /** driver.c, test_call_driver: a built flush, pended by the lower device, completed here. */
  static void testCallDriver(WineTestDriver d, KernelOk ok, DeviceObject device) {
    KernelServices services = d.services;
    d.flushOk = ok;
    try {
      BuiltRequest request = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, device, null, 0, 0);
      Irp irp = request.irp();
      checkFreshFlush(ok, irp);
      NtStatus status = services.callDriver(device, irp);
      ok.ok(status.equals(NtStatus.STATUS_PENDING), "IoCallDriver returned %s", status);
      ok.ok(irp.ioStatus().status().code() == 0, "got status %s", irp.ioStatus().status());
      ok.ok(irp.ioStatus().information() == 0, "got information %d", irp.ioStatus().information());

      irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
      irp.ioStatus().setInformation(123);
      services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
      NtStatus iosb = request.await();
      ok.ok(iosb.equals(NtStatus.STATUS_SUCCESS), "got status %s", iosb);
      ok.ok(request.information() == 123, "got information %d", request.information());

      request = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, device, null, 0, 0);
      irp = request.irp();
      checkFreshFlush(ok, irp);
      status = services.callDriver(device, irp);
      ok.ok(status.equals(NtStatus.STATUS_PENDING), "IoCallDriver returned %s", status);
      irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
      irp.ioStatus().setInformation(0);
      services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
      status = request.await();
      ok.ok(status.equals(NtStatus.STATUS_SUCCESS), "got %s", status);
    } finally {
      d.flushOk = null;
    }
  }

  /** What test_call_driver checks of a flush just built: not cancelled, zeroed, its parameters. */
  private static void checkFreshFlush(KernelOk ok, Irp irp) {
    ok.ok(!irp.isCancelled(), "Cancel = %s", irp.isCancelled());
    CancelRoutine routine = irp.setCancelRoutine(null);
    ok.ok(routine == null, "CancelRoutine = %s", routine);
    ok.ok(irp.ioStatus().status().code() == 0, "got status %s", irp.ioStatus().status());
    ok.ok(irp.ioStatus().information() == 0, "got information %d", irp.ioStatus().information());
    var next = irp.nextStackLocation();
    ok.ok(next.majorFunction() == MajorFunctions.IRP_MJ_FLUSH_BUFFERS, "MajorFunction = %d", next.majorFunction());
    ok.ok(next.deviceObject() == null, "DeviceObject = %s", next.deviceObject());
    ok.ok(next.fileObject() == null, "FileObject = %s", next.fileObject());
  }

  /** driver.c, test_cancel_irp, with cancel_irp and cancel_test_completion. */
  static void testCancelIrp(WineTestDriver d, KernelOk ok, DeviceObject device) {
    KernelServices services = d.services;
    int[] cancelCount = new int[1];
    CancelRoutine cancelIrp = (dev, irp) -> {
      services.releaseCancelSpinLock(irp.cancelIrql());
      ok.ok(irp.isCancelled(), "Cancel = %s", irp.isCancelled());
      CancelRoutine still = irp.setCancelRoutine(null);
      ok.ok(still == null, "CancelRoutine = %s", still);
      irp.ioStatus().setStatus(NtStatus.STATUS_CANCELLED);
      irp.ioStatus().setInformation(0);
      cancelCount[0]++;
    };
    boolean[] completionCalled = new boolean[1];
    CompletionRoutine cancelTestCompletion = (dev, irp, context) -> {
      ok.ok(cancelCount[0] == 1, "cancel_cnt = %d", cancelCount[0]);
      completionCalled[0] = true;
      return NtStatus.STATUS_SUCCESS;
    };

    // An IRP with no cancel routine (upstream builds one; a driver may free only one it allocated).
    Irp bare = services.allocateIrp(device.stackSize(), null);
    boolean r = services.cancelIrp(bare);
    ok.ok(!r, "IoCancelIrp returned %s", r);
    ok.ok(bare.isCancelled(), "Cancel = %s", bare.isCancelled());
    r = services.cancelIrp(bare);
    ok.ok(!r, "IoCancelIrp returned %s", r);
    services.freeIrp(bare);

    // With a cancel routine.
    Irp irp = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, device, null, 0, 0).irp();
    NtStatus status = services.callDriver(device, irp);
    ok.ok(status.equals(NtStatus.STATUS_PENDING), "IoCallDriver returned %s", status);
    ok.ok(irp.currentStackLocation().deviceObject() == device, "DeviceObject = %s",
        irp.currentStackLocation().deviceObject());
    irp.setCancelRoutine(cancelIrp);
    cancelCount[0] = 0;
    r = services.cancelIrp(irp);
    ok.ok(r, "IoCancelIrp returned %s", r);
    ok.ok(irp.isCancelled(), "Cancel = %s", irp.isCancelled());
    ok.ok(cancelCount[0] == 1, "cancel_cnt = %d", cancelCount[0]);
    cancelCount[0] = 0;
    r = services.cancelIrp(irp);
    ok.ok(!r, "IoCancelIrp returned %s", r);
    ok.ok(irp.isCancelled(), "Cancel = %s", irp.isCancelled());
    ok.ok(cancelCount[0] == 0, "cancel_cnt = %d", cancelCount[0]);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);

    // Completion routines: on success and cancel; on success and error; on success only.
    boolean[][] flags = {{true, false, true}, {true, true, false}, {true, false, false}};
    boolean[] expectCalled = {true, true, false};
    for (int i = 0; i < flags.length; i++) {
      irp = services.buildSynchronousFsdRequest(MajorFunctions.IRP_MJ_FLUSH_BUFFERS, device, null, 0, 0).irp();
      irp.setCompletionRoutine(cancelTestCompletion, null, flags[i][0], flags[i][1], flags[i][2]);
      status = services.callDriver(device, irp);
      ok.ok(status.equals(NtStatus.STATUS_PENDING), "IoCallDriver returned %s", status);
      irp.setCancelRoutine(cancelIrp);
      cancelCount[0] = 0;
      r = services.cancelIrp(irp);
      ok.ok(r, "IoCancelIrp returned %s", r);
      ok.ok(irp.isCancelled(), "Cancel = %s", irp.isCancelled());
      ok.ok(cancelCount[0] == 1, "cancel_cnt = %d", cancelCount[0]);
      completionCalled[0] = false;
      services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
      ok.ok(completionCalled[0] == expectCalled[i], "completion called %s (success %s, error %s, cancel %s)",
          completionCalled[0], flags[i][0], flags[i][1], flags[i][2]);
    }
  }

  /** driver.c, completion_cb. */
  static CompletionRoutine completionCallback(WineTestDriver d) {
    return (device, irp, context) -> {
      KernelOk ok = d.completionOk;
      ok.ok(device == context, "Got device %s; expected %s.", device, context);
      if (device == d.upperDevice) {
        ok.ok(irp.pendingReturned() == d.completionLowerPending, "Got PendingReturned %s, expected %s.",
            irp.pendingReturned(), d.completionLowerPending);
        if (irp.pendingReturned() && d.completionUpperPending) {
          irp.markPending();
        }
      } else {
        ok.ok(irp.pendingReturned() == d.completionUpperPending, "Got PendingReturned %s, expected %s.",
            irp.pendingReturned(), d.completionUpperPending);
      }
      synchronized (d) {
        d.gotCompletion++;
      }
      return NtStatus.STATUS_SUCCESS;
    };
  }

  /** driver.c, test_completion: PendingReturned as each completion routine sees it. */
  static void testCompletion(WineTestDriver d, KernelOk ok) {
    KernelServices services = d.services;
    d.completionOk = ok;
    try {
      d.completionLowerPending = false;
      d.completionUpperPending = false;
      d.gotCompletion = 0;
      Irp irp = build(d);
      NtStatus ret = services.callDriver(d.upperDevice, irp);
      ok.ok(ret.equals(NtStatus.STATUS_SUCCESS), "IoCallDriver returned %s", ret);
      ok.ok(d.gotCompletion == 2, "got %d calls to completion routine", d.gotCompletion);

      for (boolean upperPending : new boolean[] {false, true}) {
        d.completionLowerPending = true;
        d.completionUpperPending = upperPending;
        d.gotCompletion = 0;
        irp = build(d);
        ret = services.callDriver(d.upperDevice, irp);
        ok.ok(ret.equals(NtStatus.STATUS_PENDING), "IoCallDriver returned %s", ret);
        ok.ok(d.gotCompletion == 0, "got %d calls to completion routine", d.gotCompletion);
        ok.ok(!irp.pendingReturned(), "Got pending flag %s.", irp.pendingReturned());
        irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
        services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
        ok.ok(d.gotCompletion == 2, "got %d calls to completion routine", d.gotCompletion);
      }
    } finally {
      d.completionOk = null;
    }
  }

  private static Irp build(WineTestDriver d) {
    BuiltRequest request = d.services.buildDeviceIoControlRequest(WineIoctls.COMPLETION, d.upperDevice,
        new byte[0], 0, false);
    Irp irp = request.irp();
    irp.setCompletionRoutine(completionCallback(d), null, true, true, true);
    return irp;
  }
}
