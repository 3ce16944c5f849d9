package ntio.kernel.io;

import ntio.api.IoResult;
import ntio.ddk.CancelRoutine;
import ntio.ddk.AbstractIrp;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irql;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.ke.KeCaller;

/**
 * IRPs: sending them down a device stack, completing them back up through completion routines,
 * cancelling them, and the requests the I/O manager itself sends (create, cleanup, close, query)
 * or drivers build. Models ReactOS's {@code irp.c}: {@code IoCallDriver}, {@code
 * IoCompleteRequest} with {@code IopCompleteRequest}, {@code IoCancelIrp}, {@code IoFreeIrp},
 * {@code IoBuildDeviceIoControlRequest}. The client calls that make requests are {@link
 * FileCalls} ({@code iofunc.c}).
 *
 * <p>Driver code always runs with no kernel lock held. An outstanding request holds a reference
 * to its file object, so the file object, its device and the driver stay while a request is
 * pending: a deferred unload completes only after the request is completed and the handle closed.
 *
 * <p>No request escapes its process's rundown: a client request is listed under its process's
 * rundown lock before any driver sees it ({@link OutstandingRequests}), so the rundown either finds and cancels
 * it or the request is refused with {@code STATUS_PROCESS_IS_TERMINATING} (a synchronous call whose
 * driver already pended it cancels it itself).
 */
public final class Requests {

  /** 0xC4's first parameter for a cancelled IRP its driver did not complete in time. */
  public static final int CANCELLED_IRP_NOT_COMPLETED = 0x135;

  private final IoManager io;

  Requests(IoManager io) {
    this.io = io;
  }

  // Dispatch ------------------------------------------------------------------------------------

  /**
   * {@code IoCallDriver}: the next stack location becomes the current one, for {@code device},
   * and the dispatch routine for its major function runs.
   */
  NtStatus callDriver(KernelDeviceObject device, KernelIrp irp) {
    if (irp.isFreed()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x03,
          System.identityHashCode(irp), 0, 0, device.driver().serviceName(),
          "IoCallDriver with " + irp + ", which was freed");
    }
    if (!irp.steps().advance(device)) {
      throw io.bugChecks.raise(BugCheck.NO_MORE_IRP_STACK_LOCATIONS, System.identityHashCode(irp), 0,
          0, 0, device.driver().serviceName(),
          "IoCallDriver with no stack location left for " + device.describe());
    }
    IoStackLocation location = irp.currentStackLocation();
    PnpIrpWatch watch = irp.pnpWatch();
    if (watch != null) {
      watch.entered(device, irp.ioStatus().status());
    }
    KernelDriverObject driver = device.driver();
    DispatchRoutine routine = driver.majorFunction(location.majorFunction());
    NtStatus status = io.callDriver(driver, DriverDoor.DISPATCH, device, () -> routine.dispatch(device, irp));
    if (status == null) {
      throw io.driverFault(driver, new NullPointerException(
          "dispatch routine for " + MajorFunctions.name(location.majorFunction()) + " returned null"));
    }
    return status;
  }

  /**
   * {@code IoCompleteRequest}: walks the stack up from the current location, running the
   * completion routine each driver set for the one below it (bottom-up), propagating pending as NT
   * does when a driver set none, and stopping where a routine returns {@code
   * STATUS_MORE_PROCESSING_REQUIRED}. Past the top location the request is finished and goes back
   * to its sender.
   */
  void completeRequest(KernelIrp irp) {
    NtStatus status = irp.ioStatus().status();
    if (!irp.beginCompletion()) {
      throw io.bugChecks.raise(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, System.identityHashCode(irp),
          0, 0, 0, driverNameAt(irp), "IoCompleteRequest of " + irp + ", which was already completed");
    }
    if (status.equals(NtStatus.STATUS_PENDING) && ioVerified(irp)) {
      // Only the I/O verifier checks it: without it NT completes the request with STATUS_PENDING
      // as its status (Wine's test_return_status completes requests so, on Windows).
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x06, status.code(),
          System.identityHashCode(irp), 0, driverNameAt(irp),
          "IoCompleteRequest of " + irp + " with STATUS_PENDING in IoStatus (I/O verification)");
    }
    PnpIrpWatch watch = irp.pnpWatch();
    if (watch != null) {
      watch.completed(deviceAt(irp), status);
    }
    // A cancel routine left set could run on a finished request; it never will.
    AbstractIrp.IoManagerSteps steps = irp.steps();
    steps.takeCancelRoutine();
    int stackCount = irp.stackCount();
    for (int index = steps.currentLocation(); index <= stackCount; index++) {
      // The DDK's step clears the location, and propagates pending when no routine is to run.
      AbstractIrp.CompletionCall call = steps.completeLocation(index);
      if (call != null) {
        KernelDriverObject blamed = call.upper() != null
            ? ((KernelDeviceObject) call.upper()).driver()
            : ((KernelDeviceObject) call.device()).driver();
        NtStatus returned = io.callDriver(blamed, DriverDoor.COMPLETION, null, () -> call.run(irp));
        if (NtStatus.STATUS_MORE_PROCESSING_REQUIRED.equals(returned)) {
          irp.handBack();
          return;
        }
      }
    }
    irp.finish();
  }

  /** {@code IoFreeIrp}: only for a request a driver allocated, once. */
  void freeIrp(KernelIrp irp, String driver) {
    if (!irp.isAllocated()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x02,
          System.identityHashCode(irp), 0, 0, driver,
          "IoFreeIrp of " + irp + ", which the I/O manager made for a caller");
    }
    if (!irp.markFreed()) {
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x01,
          System.identityHashCode(irp), 0, 0, driver, "IoFreeIrp of " + irp + " a second time");
    }
  }

  /**
   * {@code IoCancelIrp}, as ReactOS's ({@code ntoskrnl/io/iomgr/irp.c}) does it: takes the cancel
   * spin lock (raising to DISPATCH_LEVEL), marks the request cancelled and takes its cancel
   * routine. With none, releases the lock and answers false. Otherwise records the canceller's
   * IRQL in {@code Irp->CancelIrql} and calls the routine at DISPATCH_LEVEL holding the lock, with
   * no kernel lock held; the routine releases the cancel spin lock with {@code
   * IoReleaseCancelSpinLock(Irp->CancelIrql)}. A routine that returns still holding it leaves the
   * canceller at DISPATCH_LEVEL, as on NT; the next check on the thread names its driver.
   *
   * @param caller who called IoCancelIrp: a driver's import table, or {@link KeCaller#KERNEL}
   * @return whether a cancel routine was called
   */
  boolean cancelIrp(KernelIrp irp, KeCaller caller) {
    Irql old = io.spinLocks.acquireCancel(caller);
    CancelRoutine routine = irp.markCancelledAndTakeRoutine();
    if (routine == null) {
      io.spinLocks.releaseCancel(old, caller);
      return false;
    }
    int current = irp.steps().currentLocation();
    KernelDeviceObject device = current >= 1 && current <= irp.stackCount()
        ? (KernelDeviceObject) irp.steps().location(current).deviceObject() : null;
    if (device == null) {
      io.spinLocks.releaseCancel(old, caller);
      throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x07, 0,
          System.identityHashCode(irp), 0, null, "a cancel routine set on " + irp
              + ", which no driver holds");
    }
    irp.steps().setCancelIrql(old);
    io.callDriver(device.driver(), DriverDoor.CANCEL, device, () -> {
      routine.cancel(device, irp);
      return null;
    });
    if (io.spinLocks.cancelLock().isOwnedByCurrentThread()) {
      // Entered and left holding it, so the door saw no change: the routine never released it.
      io.irqls.leftRaised(io.irqls.state(), device.driver().serviceName());
    }
    return true;
  }

  /** {@link #cancelIrp(KernelIrp, KeCaller)} by the kernel itself (a cancel, a rundown). */
  boolean cancelIrp(KernelIrp irp) {
    return cancelIrp(irp, KeCaller.KERNEL);
  }

  /** Whether the driver holding the request's current location is under I/O verification. */
  private static boolean ioVerified(KernelIrp irp) {
    int current = irp.steps().currentLocation();
    return current >= 1 && current <= irp.stackCount()
        && irp.steps().location(current).deviceObject() instanceof KernelDeviceObject device
        && device.driver().services() instanceof ImageServices services
        && services.verified() != null && services.verified().verifiesIo();
  }

  /** The device holding the request's current location, or null. */
  private static KernelDeviceObject deviceAt(KernelIrp irp) {
    int current = irp.steps().currentLocation();
    return current >= 1 && current <= irp.stackCount()
        && irp.steps().location(current).deviceObject() instanceof KernelDeviceObject device
        ? device : null;
  }

  private String driverNameAt(KernelIrp irp) {
    int current = irp.steps().currentLocation();
    if (current >= 1 && current <= irp.stackCount()
        && irp.steps().location(current).deviceObject() instanceof KernelDeviceObject device) {
      return device.driver().serviceName();
    }
    return null;
  }

  // Requests the I/O manager makes and waits for ---------------------------------------------------

  /**
   * Sends a request the I/O manager itself waits for (create, cleanup, close): however the driver
   * answers, the result is the request's final status once it has completed. A driver that returns
   * a final status without completing the request had it completed by the I/O manager with that
   * status (NT would leave it; the verifier reports it).
   */
  private NtStatus sendAndWait(KernelDeviceObject top, KernelIrp irp) {
    NtStatus returned = callDriver(top, irp);
    settle(irp, returned);
    irp.awaitFinished();
    return irp.ioStatus().status();
  }

  /** After IoCallDriver returned: complete for a driver that gave a final status but did not. */
  void settle(KernelIrp irp, NtStatus returned) {
    if (!returned.equals(NtStatus.STATUS_PENDING) && !irp.isFinished()
        && !irp.isCompletionStarted()) {
      if (irp.ioStatus().status().equals(NtStatus.STATUS_PENDING)) {
        irp.ioStatus().setStatus(returned);
      }
      irp.steps().setCurrentLocation(irp.stackCount());
      completeRequest(irp);
    }
  }

  private static KernelIrp newIrp(int stackSize, int major,
      KernelFileObject file, ProcessorMode mode, byte[] buffer, KernelIrp.Finisher finisher) {
    KernelIrp irp = new KernelIrp(stackSize, mode, buffer, file, finisher);
    IoStackLocation next = irp.nextStackLocation();
    next.setMajorFunction(major);
    next.setFileObject(file);
    return irp;
  }

  /** A request about to be sent, the top of its stack where it goes, and its buffers. */
  record Prepared(KernelIrp irp, KernelDeviceObject top, Transfer.Buffers buffers) {}

  /**
   * Builds a request for {@code top}'s stack (the top of a file's, or a device a driver named):
   * its stack size and flags are read under one lock, and choose the request's buffers.
   *
   * @param finisherFor makes the request's finisher from its buffers; null when the sender waits
   *     for the request itself
   */
  Prepared prepare(KernelDeviceObject device, boolean findTop, Transfer transfer,
      KernelFileObject file, ProcessorMode mode,
      java.util.function.Function<Transfer.Buffers, KernelIrp.Finisher> finisherFor) {
    KernelDeviceObject top;
    int stackSize;
    int flags;
    synchronized (io.database) {
      top = findTop ? Devices.topLocked(device) : device;
      stackSize = top.stackSizeLocked();
      flags = top.flagsLocked();
    }
    Transfer.Buffers buffers = transfer.buffers(flags);
    KernelIrp irp = newIrp(stackSize, transfer.major(), file, mode, buffers.system(),
        finisherFor == null ? null : finisherFor.apply(buffers));
    irp.steps().setCallerBuffers(buffers.mdl(), buffers.user());
    IoStackLocation next = irp.nextStackLocation();
    transfer.applyTo(next);
    next.setType3InputBuffer(buffers.type3());
    return new Prepared(irp, top, buffers);
  }

  NtStatus create(KernelFileObject file, int desiredAccess, OpenPacket packet, ProcessorMode mode) {
    Prepared prepared = prepare(file.device(), true,
        Transfer.of(MajorFunctions.IRP_MJ_CREATE, 0, null, 0, 0), file, mode, null);
    prepared.irp().nextStackLocation().setCreate(desiredAccess, packet.shareAccess(),
        packet.createOptions());
    return sendAndWait(prepared.top(), prepared.irp());
  }

  /**
   * {@code IoQueryFileInformation}: a kernel-mode IRP_MJ_QUERY_INFORMATION for {@code file}, sent
   * to the top of its stack and waited for; the result holds what the driver wrote, cut to its
   * Information. No handle is involved, so no access is checked.
   */
  IoResult queryInformation(KernelFileObject file, int informationClass, int length) {
    Transfer transfer = Transfer.information(MajorFunctions.IRP_MJ_QUERY_INFORMATION, 0, null,
        length, informationClass);
    Prepared prepared = prepare(file.device(), true, transfer, file, ProcessorMode.KERNEL, null);
    NtStatus status = sendAndWait(prepared.top(), prepared.irp());
    long information = prepared.irp().ioStatus().information();
    return new IoResult(status, information, prepared.buffers().returned(status, information));
  }

  void sendCleanupOrClose(KernelFileObject file, int major) {
    Prepared prepared = prepare(file.device(), true, Transfer.of(major, 0, null, 0, 0), file,
        ProcessorMode.KERNEL, null);
    sendAndWait(prepared.top(), prepared.irp());
  }

  // Requests drivers build ------------------------------------------------------------------------

  /**
   * {@code IoBuildSynchronousFsdRequest}: a kernel-mode request for {@code device}'s stack that
   * the I/O manager completes into the waiting driver.
   */
  DriverBuiltRequest buildTransfer(KernelDeviceObject device, int major, byte[] data, int length,
      long byteOffset) {
    return build(device, Transfer.of(major, 0, data, length, byteOffset));
  }

  /** {@code IoBuildDeviceIoControlRequest}'s request; see {@link #buildTransfer}. */
  DriverBuiltRequest buildControl(KernelDeviceObject device, int major, byte[] input,
      int ioControlCode, int outputLength) {
    return build(device, Transfer.control(major, 0, input, ioControlCode, outputLength));
  }

  /**
   * A driver-built request starts with {@code IoStatus} zeroed (Status 0, Information 0), not
   * {@code STATUS_PENDING}, as NT's {@code IoBuild*Request} leave it (Wine's driver.c checks it in
   * {@code test_call_driver}).
   */
  private DriverBuiltRequest build(KernelDeviceObject device, Transfer transfer) {
    Prepared prepared = prepare(device, false, transfer, null, ProcessorMode.KERNEL, null);
    prepared.irp().ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    prepared.irp().ioStatus().setInformation(0);
    return new DriverBuiltRequest(prepared.irp(), prepared.buffers());
  }
}
