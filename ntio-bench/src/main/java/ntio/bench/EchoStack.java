package ntio.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ntio.api.IoResult;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.process.KThread;

/**
 * A kernel with the Echo driver loaded, {@code depth - 1} instances of the Filter driver stacked on
 * top of {@code \Device\Echo}, and the device open for the administrator's tool; and the round trip
 * the I/O-path benchmark times on it: a synchronous NtWriteFile of {@value #TRANSFER} bytes, then a
 * synchronous NtReadFile of as many.
 *
 * <p>Each Filter instance is its own service ({@code Filter1}, {@code Filter2}, ...) with its own
 * copy of the image ({@code Filter1.jar}, ...): the loader maps one image path once, and a second
 * service naming the same path gets {@code STATUS_IMAGE_ALREADY_LOADED}. Each attaches, by name, on
 * top of whatever is then the top of Echo's stack, so they are loaded in order, and unloaded in the
 * reverse order (Echo's own unload waits until nothing is attached to it).
 *
 * <p>The read always follows a write that succeeded with every byte, so it never finds Echo's FIFO
 * empty: Echo may leave a read of an empty FIFO pending until a write arrives, which would block
 * this single thread for good. Every status and byte count is checked, and anything unexpected
 * throws, so a benchmark cannot time a request that failed on its way.
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
final class EchoStack implements AutoCloseable {

  static final String ECHO_SERVICE = "Echo";
  static final String DEVICE_NAME = "\\Device\\Echo";

  /** The bytes written, then read, in one round trip: 4 KiB. */
  static final int TRANSFER = 4096;

  private final BenchKernel bench;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString echoKey;

  /** The Filter services, bottom first. */
  private final List<UnicodeString> filterKeys = new ArrayList<>();

  private final Handle handle;
  private final byte[] payload = pattern();

  private EchoStack(BenchKernel bench, int depth) throws IOException {
    if (depth < 1) {
      throw new IllegalArgumentException("stack depth " + depth + " is below 1 (Echo alone)");
    }
    this.bench = bench;
    this.nt = bench.nt();
    this.tool = bench.tool();
    this.echoKey = bench.install(ECHO_SERVICE, DriverImage.ECHO, DriverImage.ECHO.fileName());
    BenchKernel.check("NtLoadDriver(Echo)", nt.ntLoadDriver(tool, echoKey));
    for (int n = 1; n < depth; n++) {
      String service = filterService(n);
      UnicodeString key = bench.install(service, DriverImage.FILTER, service + ".jar");
      BenchKernel.check("NtLoadDriver(" + service + ")", nt.ntLoadDriver(tool, key));
      filterKeys.add(key);
    }
    this.handle = bench.open(DEVICE_NAME);
  }

  /**
   * Boots a kernel on a new temporary state directory, loads Echo and {@code depth - 1} Filters
   * on it and opens {@code \Device\Echo}.
   *
   * @param depth the device objects in Echo's stack: 1 is Echo alone
   */
  static EchoStack open(int depth) throws IOException {
    return BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, bench -> new EchoStack(bench, depth));
  }

  /** The service of the {@code n}th Filter from the bottom, counting from 1. */
  static String filterService(int n) {
    return "Filter" + n;
  }

  /**
   * NtWriteFile of {@value #TRANSFER} bytes, then NtReadFile of {@value #TRANSFER} bytes, both at
   * offset 0 (Echo ignores it) and waiting for the result.
   *
   * @return the read's result, holding the bytes written, for the benchmark to consume
   * @throws IllegalStateException unless both succeeded and moved every byte; the read is not
   *     issued after a failed write
   */
  IoResult writeThenRead() {
    IoResult written = nt.ntWriteFile(tool, handle, payload, 0);
    if (!NtStatus.STATUS_SUCCESS.equals(written.status()) || written.information() != TRANSFER) {
      throw new IllegalStateException("NtWriteFile(\\Device\\Echo, " + TRANSFER + " bytes) returned "
          + written.status() + " with " + written.information() + " bytes");
    }
    IoResult read = nt.ntReadFile(tool, handle, TRANSFER, 0);
    if (!NtStatus.STATUS_SUCCESS.equals(read.status()) || read.information() != TRANSFER
        || read.data().length != TRANSFER) {
      throw new IllegalStateException("NtReadFile(\\Device\\Echo, " + TRANSFER + " bytes) returned "
          + read.status() + " with " + read.information() + " bytes");
    }
    return read;
  }

  /** A new array of {@value #TRANSFER} bytes in a fixed pattern: what every round trip writes. */
  static byte[] pattern() {
    byte[] bytes = new byte[TRANSFER];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  /** The kernel, for checks in tests. */
  Kernel kernel() {
    return bench.kernel();
  }

  /**
   * Closes the device, unloads the Filters top first and then Echo, shuts the kernel down and
   * deletes its state directory.
   */
  @Override
  public void close() throws IOException {
    try {
      BenchKernel.check("NtClose(\\Device\\Echo)", nt.ntClose(tool, handle));
      for (int n = filterKeys.size(); n >= 1; n--) {
        BenchKernel.check("NtUnloadDriver(" + filterService(n) + ")",
            nt.ntUnloadDriver(tool, filterKeys.get(n - 1)));
      }
      BenchKernel.check("NtUnloadDriver(Echo)", nt.ntUnloadDriver(tool, echoKey));
    } finally {
      bench.close();
    }
  }
}
