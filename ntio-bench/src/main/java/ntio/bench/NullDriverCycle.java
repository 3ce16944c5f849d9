package ntio.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;
import ntio.kernel.security.AdjustPrivilegesResult;
import ntio.kernel.security.LuidAndAttributes;
import ntio.kernel.security.Privilege;
import ntio.kernel.security.Sid;

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
  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";
  static final String DEVICE_NAME = "\\Device\\Null";
  static final String IMAGE_PATH = "\\SystemRoot\\System32\\drivers\\Null.jar";

  /** {@code FILE_SHARE_READ | FILE_SHARE_WRITE}. */
  private static final int SHARE_READ_WRITE = 0x1 | 0x2;

  /** {@code SERVICE_KERNEL_DRIVER}, {@code SERVICE_DEMAND_START}, {@code SERVICE_ERROR_NORMAL}. */
  private static final int KERNEL_DRIVER = 1;
  private static final int DEMAND_START = 3;
  private static final int ERROR_NORMAL = 1;

  private final Path stateDirectory;
  private final Kernel kernel;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString serviceKey = UnicodeString.of(SERVICES + "\\" + SERVICE_NAME);
  private final ObjectAttributes device = ObjectAttributes.of(DEVICE_NAME);

  private NullDriverCycle(Path stateDirectory, int imageReclaimThreshold) throws IOException {
    this.stateDirectory = stateDirectory;
    NullImage.writeTo(stateDirectory.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers")
        .resolve("Null.jar"));
    this.kernel = Kernel.boot(
        KernelConfig.of(stateDirectory).withImageReclaimThreshold(imageReclaimThreshold));
    this.nt = kernel.services();
    this.tool = kernel.administratorSession("bench", Sid.unixUser(1000));
    AdjustPrivilegesResult adjusted = nt.ntAdjustPrivilegesToken(tool,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
    check("NtAdjustPrivilegesToken(SeLoadDriverPrivilege)", adjusted.status());
    installService();
  }

  /** Boots a kernel on a new temporary state directory and installs the Null service there. */
  static NullDriverCycle boot(int imageReclaimThreshold) throws IOException {
    Path directory = StateDirectory.create("ntio-bench-");
    try {
      return new NullDriverCycle(directory, imageReclaimThreshold);
    } catch (IOException | RuntimeException e) {
      StateDirectory.delete(directory);
      throw e;
    }
  }

  /** What {@code sc create Null type= kernel start= demand binPath= ...} writes, once. */
  private void installService() {
    Registry.CreateResult key = nt.ntCreateKey(tool, AccessMask.KEY_ALL_ACCESS,
        ObjectAttributes.of(SERVICES + "\\" + SERVICE_NAME), 0);
    check("NtCreateKey(Services\\Null)", key.status());
    try {
      set(key.handle(), RegValue.dword("Type", KERNEL_DRIVER));
      set(key.handle(), RegValue.dword("Start", DEMAND_START));
      set(key.handle(), RegValue.dword("ErrorControl", ERROR_NORMAL));
      set(key.handle(), RegValue.expandString("ImagePath", IMAGE_PATH));
    } finally {
      check("NtClose(Services\\Null)", nt.ntClose(tool, key.handle()));
    }
  }

  private void set(Handle key, RegValue value) {
    check("NtSetValueKey(" + value.name() + ")",
        nt.ntSetValueKey(tool, key, UnicodeString.of(value.name()), value.type(), value.data()));
  }

  /**
   * One whole cycle. Throws {@link IllegalStateException} naming the step if any status is not
   * {@code STATUS_SUCCESS}.
   *
   * @return the handle the open returned, for the benchmark to consume
   */
  Handle run() {
    check("NtLoadDriver(Null)", nt.ntLoadDriver(tool, serviceKey));
    OpenResult opened = nt.ntCreateFile(tool, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE, device,
        SHARE_READ_WRITE, 0);
    check("NtCreateFile(\\Device\\Null)", opened.status());
    check("NtClose(\\Device\\Null)", nt.ntClose(tool, opened.handle()));
    check("NtUnloadDriver(Null)", nt.ntUnloadDriver(tool, serviceKey));
    return opened.handle();
  }

  /** The kernel, for checks in tests. */
  Kernel kernel() {
    return kernel;
  }

  private static void check(String step, NtStatus status) {
    if (!NtStatus.STATUS_SUCCESS.equals(status)) {
      throw new IllegalStateException(step + " returned " + status + ", not STATUS_SUCCESS");
    }
  }

  /** Shuts the kernel down and deletes its state directory. */
  @Override
  public void close() throws IOException {
    try {
      List<Thread> stuck = kernel.shutdown();
      if (!stuck.isEmpty()) {
        throw new IllegalStateException(stuck.size() + " kernel worker threads did not stop: " + stuck);
      }
    } finally {
      StateDirectory.delete(stateDirectory);
    }
  }
}
