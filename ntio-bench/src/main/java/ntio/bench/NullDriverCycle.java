package ntio.bench;

import java.io.IOException;
import ntio.api.OpenResult;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.process.KThread;

/**
 * One kernel with the Null driver's service installed, and the cycle an administrator's tool runs
 * on it: NtLoadDriver, NtCreateFile of {@code \Device\Null}, NtClose, NtUnloadDriver.
 *
 * <p>Every step's status is checked and a failure throws, so a benchmark can never time a cycle
 * that did not happen: a load that failed, or an unload that was deferred, would make the next
 * load fail too.
 *
 * <p>Public for the side-by-side comparison with ntio's peers ({@code ntio.bench.peers}), which
 * runs this same cycle, with the verifier off and on.
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
public final class NullDriverCycle implements AutoCloseable {

  static final String SERVICE_NAME = "Null";
  static final String DEVICE_NAME = "\\Device\\Null";

  private final BenchKernel bench;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString serviceKey;
  private final ObjectAttributes device = ObjectAttributes.of(DEVICE_NAME);

  private NullDriverCycle(BenchKernel bench, boolean signed) throws IOException {
    this.bench = bench;
    this.nt = bench.nt();
    this.tool = bench.tool();
    String fileName = DriverImage.NULL.fileName();
    if (signed) {
      this.serviceKey = bench.install(SERVICE_NAME, DriverImage.NULL, fileName);
    } else {
      DriverImage.NULL.writeUnsignedTo(bench.drivers().resolve(fileName));
      this.serviceKey = bench.installService(SERVICE_NAME, fileName, BenchKernel.DEMAND_START);
    }
  }

  /**
   * Boots a kernel on a new temporary state directory and installs the Null service there, its
   * image signed as the build signs it.
   */
  public static NullDriverCycle boot(int imageReclaimThreshold) throws IOException {
    return BenchKernel.boot(imageReclaimThreshold, bench -> new NullDriverCycle(bench, true));
  }

  /**
   * As {@link #boot}, with the Null image's signature removed: the cycle then costs what it would
   * for an unsigned plugin, as PF4J's and Felix's units are.
   */
  public static NullDriverCycle bootUnsigned(int imageReclaimThreshold) throws IOException {
    return BenchKernel.boot(imageReclaimThreshold, bench -> new NullDriverCycle(bench, false));
  }

  /**
   * One whole cycle. Throws {@link IllegalStateException} naming the step if any status is not
   * {@code STATUS_SUCCESS}.
   *
   * @return the handle the open returned, for the benchmark to consume
   */
  public Handle run() {
    BenchKernel.check("NtLoadDriver(Null)", nt.ntLoadDriver(tool, serviceKey));
    OpenResult opened = nt.ntCreateFile(tool, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE, device,
        BenchKernel.SHARE_READ_WRITE, 0);
    BenchKernel.check("NtCreateFile(\\Device\\Null)", opened.status());
    BenchKernel.check("NtClose(\\Device\\Null)", nt.ntClose(tool, opened.handle()));
    BenchKernel.check("NtUnloadDriver(Null)", nt.ntUnloadDriver(tool, serviceKey));
    return opened.handle();
  }

  /**
   * Has Driver Verifier watch the Null image with {@code flags} from the next load on, as {@code
   * verifier /volatile /flags <flags> /driver Null.jar} would: volatile settings, not persisted.
   */
  public void verify(int flags) {
    bench.kernel().io().verifier().setVolatileSettings(
        VerifierSettings.parse(DriverImage.NULL.fileName(), flags));
  }

  /** The Null image's file name, {@code Null.jar}: how the verifier names it. */
  public static String imageName() {
    return DriverImage.NULL.fileName();
  }

  /** The file the Null service's image was written to. */
  public java.nio.file.Path imageFile() {
    return bench.drivers().resolve(DriverImage.NULL.fileName());
  }

  /** The kernel, for checks in tests and benchmark tear-downs. */
  public Kernel kernel() {
    return bench.kernel();
  }

  /** Shuts the kernel down and deletes its state directory. */
  @Override
  public void close() throws IOException {
    bench.close();
  }
}
