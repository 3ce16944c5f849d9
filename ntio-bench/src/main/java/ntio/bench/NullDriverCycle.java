package ntio.bench;

import java.io.IOException;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.process.KThread;

/**
 * One kernel with the Null driver's service installed, and the cycle an administrator's tool runs
 * on it: NtLoadDriver, NtCreateFile of {@code \Device\Null}, NtClose, NtUnloadDriver.
 *
 * <p>Every step's status is checked and a failure throws, so a benchmark can never time a cycle
 * that did not happen: a load that failed, or an unload that was deferred, would make the next
 * load fail too.
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
final class NullDriverCycle implements AutoCloseable {

  static final String SERVICE_NAME = "Null";
  static final String DEVICE_NAME = "\\Device\\Null";

  private final BenchKernel bench;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString serviceKey;
  private final ObjectAttributes device = ObjectAttributes.of(DEVICE_NAME);

  private NullDriverCycle(BenchKernel bench) throws IOException {
    this.bench = bench;
    this.nt = bench.nt();
    this.tool = bench.tool();
    this.serviceKey = bench.install(SERVICE_NAME, DriverImage.NULL, DriverImage.NULL.fileName());
  }

  /** Boots a kernel on a new temporary state directory and installs the Null service there. */
  static NullDriverCycle boot(int imageReclaimThreshold) throws IOException {
    return BenchKernel.boot(imageReclaimThreshold, NullDriverCycle::new);
  }

  /**
   * One whole cycle. Throws {@link IllegalStateException} naming the step if any status is not
   * {@code STATUS_SUCCESS}.
   *
   * @return the handle the open returned, for the benchmark to consume
   */
  Handle run() {
    BenchKernel.check("NtLoadDriver(Null)", nt.ntLoadDriver(tool, serviceKey));
    OpenResult opened = nt.ntCreateFile(tool, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE, device,
        BenchKernel.SHARE_READ_WRITE, 0);
    BenchKernel.check("NtCreateFile(\\Device\\Null)", opened.status());
    BenchKernel.check("NtClose(\\Device\\Null)", nt.ntClose(tool, opened.handle()));
    BenchKernel.check("NtUnloadDriver(Null)", nt.ntUnloadDriver(tool, serviceKey));
    return opened.handle();
  }

  /** The kernel, for checks in tests. */
  Kernel kernel() {
    return bench.kernel();
  }

  /** Shuts the kernel down and deletes its state directory. */
  @Override
  public void close() throws IOException {
    bench.close();
  }
}
