package ntio.drivers.echo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.ddk.CancelRoutine;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;

/**
 * The Echo driver's dispatch routines and the cancel routine of a waiting read. A read of an
 * empty FIFO is left pending until a write brings bytes, its file is cleaned up, or it is
 * cancelled; every other request completes in its dispatch routine.
 *
 * <p>What a request does to the FIFO is decided by the FIFO ({@link EchoFifo}) or by a static
 * method that sees only the FIFO and the request's buffer and lengths, so it can be tested without
 * a kernel; the routine around it sets {@code IoStatus} and completes the IRPs, always after the
 * FIFO's lock is released.
 */
final class EchoDispatch {

  private final KernelServices services;

  /** Echo's cancel routine, set on every read while it waits in the FIFO's queue. */
  private final CancelRoutine cancelRoutine = this::cancelRead;

  EchoDispatch(KernelServices services) {
    this.services = services;
  }

  /** {@code IRP_MJ_CREATE} and {@code IRP_MJ_CLOSE}: nothing per open. */
  NtStatus succeed(DeviceObject device, Irp irp) {
    return complete(irp, IoResult.success(0));
  }

  /**
   * {@code IRP_MJ_READ}: takes up to {@code Length} bytes from the head of the FIFO when bytes are
   * waiting; otherwise the read waits, pending, for a write.
   *
   * @return the read's status, or {@code STATUS_PENDING} once it was marked pending (even when it
   *     was cancelled and completed before this returns)
   */
  NtStatus read(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    EchoFifo.ReadStart start = fifo.startRead(irp, cancelRoutine);
    // Once queued, the read may already be completed on another thread: it is not touched again.
    if (start.completesNow()) {
      complete(irp, start.result());
    }
    return start.pending() ? NtStatus.STATUS_PENDING : start.result().status();
  }

  /**
   * {@code IRP_MJ_WRITE}: appends the caller's bytes to the FIFO, completes the waiting reads they
   * served, oldest first, then the write.
   */
  NtStatus write(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    EchoFifo.Written written =
        fifo.write(irp.systemBuffer(), irp.currentStackLocation().length());
    for (EchoFifo.Completion read : written.servedReads()) {
      complete(read.irp(), read.result());
    }
    return complete(irp, written.result());
  }

  /**
   * {@code IRP_MJ_CLEANUP}, sent when the last handle of a file object is closed: completes the
   * reads still waiting on that file object with {@code STATUS_CANCELLED}, oldest first, then
   * succeeds. Reads of other file objects keep waiting.
   */
  NtStatus cleanup(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    for (Irp read : fifo.takePendingReadsOf(irp.currentStackLocation().fileObject())) {
      complete(read, IoResult.failure(NtStatus.STATUS_CANCELLED));
    }
    return complete(irp, IoResult.success(0));
  }

  /**
   * The cancel routine of a waiting read: releases the cancel spin lock it is called holding (as
   * every NT cancel routine does first), takes the read out of the queue and completes it with
   * {@code STATUS_CANCELLED}. Called at most once, by {@code IoCancelIrp}, at DISPATCH_LEVEL.
   */
  void cancelRead(DeviceObject device, Irp irp) {
    services.releaseCancelSpinLock(irp.cancelIrql());
    device.deviceExtension(EchoFifo.class).removeCancelledRead(irp);
    complete(irp, IoResult.failure(NtStatus.STATUS_CANCELLED));
  }

  /** {@code IRP_MJ_DEVICE_CONTROL}: answers {@link EchoIoctl#IOCTL_ECHO_QUERY_AVAILABLE}. */
  NtStatus deviceControl(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    IoStackLocation stack = irp.currentStackLocation();
    return complete(
        irp,
        deviceControl(fifo, stack.ioControlCode(), stack.outputBufferLength(), irp.systemBuffer()));
  }

  /**
   * A buffered device control: {@link EchoIoctl#IOCTL_ECHO_QUERY_AVAILABLE} writes the FIFO's
   * byte count, little-endian, to the first 4 bytes of {@code systemBuffer};
   * {@code STATUS_BUFFER_TOO_SMALL} if {@code outputLength} is below 4;
   * {@code STATUS_INVALID_DEVICE_REQUEST} for any other code.
   */
  static IoResult deviceControl(
      EchoFifo fifo, int ioControlCode, int outputLength, byte[] systemBuffer) {
    if (ioControlCode != EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE) {
      return IoResult.failure(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    if (outputLength < Integer.BYTES) {
      return IoResult.failure(NtStatus.STATUS_BUFFER_TOO_SMALL);
    }
    ByteBuffer.wrap(systemBuffer).order(ByteOrder.LITTLE_ENDIAN).putInt(0, fifo.available());
    return IoResult.success(Integer.BYTES);
  }

  private NtStatus complete(Irp irp, IoResult result) {
    irp.ioStatus().setStatus(result.status());
    irp.ioStatus().setInformation(result.information());
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return result.status();
  }
}
