package ntio.kernel.io.dpctests;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelTimer;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A test driver that pends every read and device control and completes it later at the IRQL NT
 * would: a read at byte offset 0 from a DPC, a read at any other offset from a timer's DPC (due
 * in {@value #TIMER_MILLIS} ms), a device control from a work item a DPC queued. Each completes
 * with {@code STATUS_SUCCESS} and the text {@code "<how> at <IRQL>"} (cut to the read's length)
 * as its data, so the client sees the level the completion ran at.
 *
 * <p>One request of each kind at a time: a second would find its DPC already queued.
 */
public final class DpcReadDriver implements DriverEntry, DispatchRoutine {

  /** The device ({@code DO_BUFFERED_IO}). */
  public static final String DEVICE = "\\Device\\DpcRead";

  /** When the timer of an offset read expires. */
  public static final long TIMER_MILLIS = 10;

  private KernelServices services;
  private DeviceObject device;
  private KernelDpc completer;
  private KernelDpc timerDpc;
  private KernelDpc workQueuer;
  private KernelTimer timer;
  private final AtomicReference<Irp> timed = new AtomicReference<>();

  /** Called by the loader. */
  public DpcReadDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    // The DPCs and the timer first: none is queued or set before the device exists.
    completer = services.initializeDpc((dpc, irp, unused) -> complete((Irp) irp, "DPC"));
    timerDpc = services.initializeDpc((dpc, unused1, unused2) -> complete(timed.getAndSet(null), "timer DPC"));
    workQueuer = services.initializeDpc((dpc, irp, unused) ->
        services.queueWorkItem(device, () -> complete((Irp) irp, "work item")));
    timer = services.initializeTimer();
    DeviceResult created = services.createDevice(driver, null, UnicodeString.of(DEVICE),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    device = created.device();
    if (device == null) {
      return created.status();
    }
    device.setFlags(DeviceFlags.DO_BUFFERED_IO);
    for (int major = 0; major <= MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION; major++) {
      driver.setMajorFunction(major, this);
    }
    driver.setDriverUnload(unloading -> {
      timer.cancel();
      services.flushQueuedDpcs();
      services.deleteDevice(device);
    });
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public NtStatus dispatch(DeviceObject on, Irp irp) {
    int major = irp.currentStackLocation().majorFunction();
    if (major == MajorFunctions.IRP_MJ_READ) {
      irp.markPending();
      if (irp.currentStackLocation().byteOffset() == 0) {
        completer.insertQueue(irp, null);
      } else {
        timed.set(irp);
        timer.set(TIMER_MILLIS * 1_000_000L, 0, timerDpc);
      }
      return NtStatus.STATUS_PENDING;
    }
    if (major == MajorFunctions.IRP_MJ_DEVICE_CONTROL) {
      irp.markPending();
      workQueuer.insertQueue(irp, null);
      return NtStatus.STATUS_PENDING;
    }
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, 0);
    return NtStatus.STATUS_SUCCESS;
  }

  private void complete(Irp irp, String how) {
    byte[] text = (how + " at " + services.getCurrentIrql()).getBytes(StandardCharsets.US_ASCII);
    byte[] buffer = irp.systemBuffer();
    int length = buffer == null ? 0 : Math.min(text.length, buffer.length);
    if (length > 0) {
      System.arraycopy(text, 0, buffer, 0, length);
    }
    irp.ioStatus().setInformation(length);
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    services.completeRequest(irp, 0);
  }
}
