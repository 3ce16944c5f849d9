package ntio.drivers.echo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.ddk.IoControlCodes;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;

/**
 * The Echo driver's dispatch routines. Every request completes in its dispatch routine; none is
 * left pending (a read of an empty FIFO completes with 0 bytes).
 *
 * <p>What each request does to the FIFO is decided by a static method that sees only the FIFO and
 * the request's buffer and lengths, so it can be tested without a kernel; the routine around it
 * reads the stack location, sets {@code IoStatus} and completes the IRP.
 */
final class EchoDispatch {

  private final KernelServices services;

  EchoDispatch(KernelServices services) {
    this.services = services;
  }

  /** {@code IRP_MJ_CREATE}, {@code IRP_MJ_CLEANUP} and {@code IRP_MJ_CLOSE}: nothing per open. */
  NtStatus succeed(DeviceObject device, Irp irp) {
    return complete(irp, IoResult.success(0));
  }

  /** {@code IRP_MJ_READ}: takes up to {@code Length} bytes from the head of the FIFO. */
  NtStatus read(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    return complete(irp, read(fifo, irp.systemBuffer(), irp.currentStackLocation().length()));
  }

  /** {@code IRP_MJ_WRITE}: appends the caller's bytes to the FIFO. */
  NtStatus write(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    return complete(irp, write(fifo, irp.systemBuffer(), irp.currentStackLocation().length()));
  }

  /** {@code IRP_MJ_DEVICE_CONTROL}: answers {@link EchoIoctl#IOCTL_ECHO_QUERY_AVAILABLE}. */
  NtStatus deviceControl(DeviceObject device, Irp irp) {
    EchoFifo fifo = device.deviceExtension(EchoFifo.class);
    IoStackLocation stack = irp.currentStackLocation();
    return complete(
        irp,
        deviceControl(fifo, stack.ioControlCode(), stack.outputBufferLength(), irp.systemBuffer()));
  }

  /** A read of {@code length} bytes into {@code systemBuffer}: succeeds with the bytes moved. */
  static IoResult read(EchoFifo fifo, byte[] systemBuffer, int length) {
    return IoResult.success(fifo.take(systemBuffer, length));
  }

  /**
   * A write of the first {@code length} bytes of {@code systemBuffer}: succeeds with
   * {@code length}, or fails with {@code STATUS_INSUFFICIENT_RESOURCES}, appending nothing, when
   * the FIFO has no room for all of them.
   */
  static IoResult write(EchoFifo fifo, byte[] systemBuffer, int length) {
    return fifo.append(systemBuffer, length)
        ? IoResult.success(length)
        : IoResult.failure(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
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
