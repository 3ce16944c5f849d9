package ntio.kernel.io.locktests;

import ntio.ddk.AccessMask;
import ntio.ddk.CancelRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.KernelSpinLock;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver that uses spin locks, the cancel spin lock and the IRQL right or wrong, for the tests
 * of issue 19's spin lock rules and the doors into driver code. Its DriverEntry does what {@code
 * <RegistryPath>\Parameters\Mode} (REG_SZ, absent for none) says, then creates {@code
 * \Device\SpinLab}, whose device controls ({@link #IOCTL_RAISE_AND_RETURN} and the others) do the
 * rest. Observations made at DISPATCH_LEVEL are kept in fields and given back by {@link
 * #IOCTL_REPORT}: nothing here touches the registry above PASSIVE_LEVEL.
 *
 * <p>DriverEntry modes: {@code acquireTwice}, {@code releaseNotHeld}, {@code raiseBelow}, {@code
 * lowerAbove}, {@code acquireAtDpcAtPassive}, {@code releaseFromDpcAtPassive}, {@code
 * acquireAboveDispatch}, {@code queuedReleaseAtPassive}, {@code cancelReleaseAtPassive}, {@code
 * returnRaised}, {@code returnHoldingLock}, and {@code good} (every routine used right).
 */
public final class SpinLockLabDriver implements DriverEntry {

  /** Raises to DISPATCH_LEVEL, completes the request and returns without lowering. */
  public static final int IOCTL_RAISE_AND_RETURN = code(1);
  /** Pends with a cancel routine that releases the cancel spin lock, then completes cancelled. */
  public static final int IOCTL_PEND = code(2);
  /** Pends with a cancel routine that completes cancelled but keeps the cancel spin lock. */
  public static final int IOCTL_PEND_KEEP_LOCK = code(3);
  /** Output 3 bytes: the IRQL in the last cancel routine, its CancelIrql, the IRQL after its release. */
  public static final int IOCTL_REPORT = code(4);
  /** Queues a work item that raises to DISPATCH_LEVEL and returns there. */
  public static final int IOCTL_WORK_ITEM_RAISED = code(5);
  /** Completes a request it pended through the cancel-safe path (setCancelRoutine(null)). */
  public static final int IOCTL_COMPLETE_PENDED = code(6);

  private KernelServices services;
  private volatile Irp pended;
  private volatile int inRoutine = -1;
  private volatile int cancelIrql = -1;
  private volatile int afterRelease = -1;

  /** Called by the loader, once per load. */
  public SpinLockLabDriver() {}

  private static int code(int function) {
    return IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, 0x900 + function,
        IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);
  }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    driver.setDriverUnload(unloading -> {
      for (DeviceObject device = unloading.deviceObject(); device != null; device = unloading.deviceObject()) {
        services.deleteDevice(device);
      }
    });
    String mode = mode(registryPath.text() + "\\Parameters");
    KernelSpinLock lock = services.initializeSpinLock();
    // IoCreateDevice is PASSIVE_LEVEL only (0xA since the IRQL rules): create the device before
    // the mode's misuse, which may leave DriverEntry raised.
    DeviceResult created = services.createDevice(driver, null, UnicodeString.of("\\Device\\SpinLab"),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    switch (mode) {
      case "acquireTwice" -> {
        lock.acquire();
        lock.acquire();
      }
      case "releaseNotHeld" -> lock.release(Irql.PASSIVE_LEVEL);
      case "raiseBelow" -> {
        services.raiseIrql(Irql.DISPATCH_LEVEL);
        services.raiseIrql(Irql.PASSIVE_LEVEL);
      }
      case "lowerAbove" -> services.lowerIrql(Irql.DISPATCH_LEVEL);
      case "acquireAtDpcAtPassive" -> {
        lock.acquireAtDpcLevel();
        lock.releaseFromDpcLevel();
      }
      case "releaseFromDpcAtPassive" -> {
        Irql old = services.raiseIrqlToDpcLevel();
        lock.acquireAtDpcLevel();
        services.lowerIrql(old);
        lock.releaseFromDpcLevel();
      }
      case "acquireAboveDispatch" -> {
        Irql old = services.raiseIrql(Irql.DEVICE_LEVEL);
        Irql inner = lock.acquire();
        lock.release(inner);
        services.lowerIrql(old);
      }
      case "queuedReleaseAtPassive" -> {
        KernelSpinLock.LockQueueHandle handle = lock.acquireInStackQueued();
        services.lowerIrql(handle.oldIrql());
        handle.release();
      }
      case "cancelReleaseAtPassive" -> {
        Irql old = services.acquireCancelSpinLock();
        services.lowerIrql(old);
        services.releaseCancelSpinLock(old);
      }
      case "returnRaised" -> services.raiseIrqlToDpcLevel();
      case "returnHoldingLock" -> lock.acquire();
      case "good" -> useEveryRoutineRight(lock);
      default -> { }
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this::succeed);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_DEVICE_CONTROL, this::deviceControl);
    return NtStatus.STATUS_SUCCESS;
  }

  private void useEveryRoutineRight(KernelSpinLock lock) {
    Irql old = lock.acquire();
    check(services.getCurrentIrql() == Irql.DISPATCH_LEVEL && lock.isHeld(), "acquire");
    lock.release(old);
    KernelSpinLock.LockQueueHandle queued = lock.acquireInStackQueued();
    queued.release();
    Irql raised = services.raiseIrqlToDpcLevel();
    check(lock.tryAcquireAtDpcLevel(), "try");
    lock.releaseFromDpcLevel();
    lock.acquireAtDpcLevel();
    lock.releaseFromDpcLevel();
    lock.acquireInStackQueuedAtDpcLevel().releaseFromDpcLevel();
    services.lowerIrql(raised);
    Irql cancel = services.acquireCancelSpinLock();
    services.releaseCancelSpinLock(cancel);
    check(services.getCurrentIrql() == Irql.PASSIVE_LEVEL && !lock.isHeld(), "back at passive");
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("not as expected: " + what);
    }
  }

  private NtStatus succeed(DeviceObject device, Irp irp) {
    return complete(irp, NtStatus.STATUS_SUCCESS, 0);
  }

  private NtStatus complete(Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }

  private NtStatus deviceControl(DeviceObject device, Irp irp) {
    int code = irp.currentStackLocation().ioControlCode();
    if (code == IOCTL_RAISE_AND_RETURN) {
      services.raiseIrqlToDpcLevel();
      return complete(irp, NtStatus.STATUS_SUCCESS, 0);
    }
    if (code == IOCTL_PEND || code == IOCTL_PEND_KEEP_LOCK) {
      CancelRoutine routine = code == IOCTL_PEND ? this::cancelReleasing : this::cancelKeepingTheLock;
      irp.markPending();
      pended = irp;
      irp.setCancelRoutine(routine);
      if (irp.isCancelled() && irp.setCancelRoutine(null) != null) {
        pended = null;
        complete(irp, NtStatus.STATUS_CANCELLED, 0);
      }
      return NtStatus.STATUS_PENDING;
    }
    if (code == IOCTL_COMPLETE_PENDED) {
      Irp waiting = pended;
      if (waiting != null && waiting.setCancelRoutine(null) != null) {
        pended = null;
        complete(waiting, NtStatus.STATUS_SUCCESS, 0);
      }
      return complete(irp, NtStatus.STATUS_SUCCESS, 0);
    }
    if (code == IOCTL_REPORT) {
      byte[] out = irp.systemBuffer();
      out[0] = (byte) inRoutine;
      out[1] = (byte) cancelIrql;
      out[2] = (byte) afterRelease;
      return complete(irp, NtStatus.STATUS_SUCCESS, 3);
    }
    if (code == IOCTL_WORK_ITEM_RAISED) {
      NtStatus queued = services.queueWorkItem(device, () -> services.raiseIrqlToDpcLevel());
      return complete(irp, queued, 0);
    }
    return complete(irp, NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0);
  }

  /** The cancel routine NT drivers write: releases the cancel spin lock first, then completes. */
  private void cancelReleasing(DeviceObject device, Irp irp) {
    inRoutine = services.getCurrentIrql().level();
    cancelIrql = irp.cancelIrql().level();
    services.releaseCancelSpinLock(irp.cancelIrql());
    afterRelease = services.getCurrentIrql().level();
    pended = null;
    complete(irp, NtStatus.STATUS_CANCELLED, 0);
  }

  /** The classic bug: completes the request but returns still holding the cancel spin lock. */
  private void cancelKeepingTheLock(DeviceObject device, Irp irp) {
    inRoutine = services.getCurrentIrql().level();
    cancelIrql = irp.cancelIrql().level();
    pended = null;
    complete(irp, NtStatus.STATUS_CANCELLED, 0);
  }

  private String mode(String key) {
    HandleResult opened = services.openKey(UnicodeString.of(key), AccessMask.KEY_READ);
    if (!opened.status().isSuccess()) {
      return "";
    }
    try {
      ValueResult value = services.queryValueKey(opened.handle(), UnicodeString.of("Mode"));
      return value.status().isSuccess() ? value.value().stringValue().orElse("") : "";
    } finally {
      services.close(opened.handle());
    }
  }
}
