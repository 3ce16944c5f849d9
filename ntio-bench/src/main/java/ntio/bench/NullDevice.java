package ntio.bench;

import java.io.IOException;
import ntio.api.IoResult;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.process.KThread;

/**
 * A kernel with the Null driver loaded and {@code \Device\Null} open for the administrator's tool,
 * and the request the I/O-path benchmark times on it: a synchronous, zero-length NtReadFile.
 *
 * <p>Null completes every read in its dispatch routine with {@code STATUS_END_OF_FILE} and no
 * bytes, a zero-length one included; that is the only answer accepted. Anything else throws, so a
 * benchmark cannot time a request that failed on its way (a bad handle, a refused access).
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
final class NullDevice implements AutoCloseable {

  static final String SERVICE_NAME = "Null";
  static final String DEVICE_NAME = "\\Device\\Null";

  /** What Null answers to every read. */
  static final NtStatus READ_STATUS = NtStatus.STATUS_END_OF_FILE;

  private final BenchKernel bench;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString serviceKey;
  private final Handle handle;

  private NullDevice(BenchKernel bench) throws IOException {
    this.bench = bench;
    this.nt = bench.nt();
    this.tool = bench.tool();
    this.serviceKey = bench.install(SERVICE_NAME, DriverImage.NULL, DriverImage.NULL.fileName());
    BenchKernel.check("NtLoadDriver(Null)", nt.ntLoadDriver(tool, serviceKey));
    this.handle = bench.open(DEVICE_NAME);
  }

  /** Boots a kernel on a new temporary state directory, loads Null and opens its device. */
  static NullDevice open() throws IOException {
    return BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, NullDevice::new);
  }

  /**
   * NtReadFile of no bytes at offset 0 from {@code \Device\Null}, waiting for the result.
   *
   * @return the result, for the benchmark to consume
   * @throws IllegalStateException unless it is {@link #READ_STATUS} with no bytes
   */
  IoResult readNothing() {
    IoResult read = nt.ntReadFile(tool, handle, 0, 0);
    if (!READ_STATUS.equals(read.status()) || read.information() != 0 || read.data().length != 0) {
      throw new IllegalStateException("NtReadFile(\\Device\\Null, 0 bytes) returned " + read.status()
          + " with " + read.information() + " bytes, not " + READ_STATUS + " with none");
    }
    return read;
  }

  /** The kernel, for checks in tests. */
  Kernel kernel() {
    return bench.kernel();
  }

  /** Closes the device, unloads Null, shuts the kernel down and deletes its state directory. */
  @Override
  public void close() throws IOException {
    try {
      BenchKernel.check("NtClose(\\Device\\Null)", nt.ntClose(tool, handle));
      BenchKernel.check("NtUnloadDriver(Null)", nt.ntUnloadDriver(tool, serviceKey));
    } finally {
      bench.close();
    }
  }
}
