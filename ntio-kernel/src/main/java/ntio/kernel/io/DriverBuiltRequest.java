package ntio.kernel.io;

import ntio.ddk.NtStatus;

/**
 * A request a driver built with {@code IoBuildSynchronousFsdRequest} or {@code
 * IoBuildDeviceIoControlRequest}; see {@link ntio.ddk.BuiltRequest}. Its {@code IoStatus} starts
 * zeroed (Status 0, Information 0), as NT's do.
 */
final class DriverBuiltRequest implements ntio.ddk.BuiltRequest {
  private final KernelIrp irp;
  private final Transfer.Buffers buffers;

  DriverBuiltRequest(KernelIrp irp, Transfer.Buffers buffers) {
    this.irp = irp;
    this.buffers = buffers;
  }

  @Override
  public KernelIrp irp() {
    return irp;
  }

  @Override
  public NtStatus await() {
    irp.awaitFinished();
    return irp.ioStatus().status();
  }

  @Override
  public long information() {
    return irp.isFinished() ? irp.ioStatus().information() : 0;
  }

  @Override
  public byte[] output() {
    if (!irp.isFinished()) {
      return Transfer.NO_BYTES;
    }
    return buffers.returned(irp.ioStatus().status(), irp.ioStatus().information()).clone();
  }

  @Override
  public String toString() {
    return "BuiltRequest[" + irp + "]";
  }
}
