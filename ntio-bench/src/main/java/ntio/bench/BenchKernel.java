package ntio.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;

/**
 * A kernel booted on a temporary state directory for one trial, and the administrator's tool
 * thread every benchmark calls it from: a session with {@code SeLoadDriverPrivilege} enabled, which
 * installs driver services as {@code sc create} would and opens devices.
 *
 * <p>Every set-up step's status is checked, and a failure throws {@link IllegalStateException}
 * naming the step, so a benchmark never starts on a kernel that is not as it expects.
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
public final class BenchKernel implements AutoCloseable {

  public static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";

  /** {@code FILE_SHARE_READ | FILE_SHARE_WRITE}. */
  public static final int SHARE_READ_WRITE = 0x1 | 0x2;

  /** {@code SERVICE_DEMAND_START}: a driver loaded when asked ({@code sc start}). */
  public static final int DEMAND_START = 3;

  /** {@code SERVICE_AUTO_START}: a driver the host loads after boot. */
  public static final int AUTO_START = 2;

  /** {@code SERVICE_KERNEL_DRIVER}, {@code SERVICE_ERROR_NORMAL}. */
  private static final int KERNEL_DRIVER = 1;
  private static final int ERROR_NORMAL = 1;

  private final Path stateDirectory;
  /** Whether {@link #close()} deletes the state directory: true when {@link #boot} made it. */
  private final boolean ownsDirectory;
  private final Kernel kernel;
  private final SystemServices nt;
  private final KThread tool;

  private BenchKernel(Path stateDirectory, boolean ownsDirectory, int imageReclaimThreshold) {
    this.stateDirectory = stateDirectory;
    this.ownsDirectory = ownsDirectory;
    this.kernel = Kernel.boot(
        KernelConfig.of(stateDirectory).withImageReclaimThreshold(imageReclaimThreshold));
    this.nt = kernel.services();
    this.tool = kernel.administratorSession("bench", Sid.unixUser(1000));
    AdjustPrivilegesResult adjusted = nt.ntAdjustPrivilegesToken(tool,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
    check("NtAdjustPrivilegesToken(SeLoadDriverPrivilege)", adjusted.status());
  }

  /**
   * Boots a kernel on a new temporary state directory; {@code configure} then sets it up (writes
   * images, installs services, loads drivers). If it throws, the kernel is shut down and the
   * directory deleted before the failure propagates.
   */
  public static <T> T boot(int imageReclaimThreshold, Setup<T> configure) throws IOException {
    Path directory = StateDirectory.create("ntio-bench-");
    BenchKernel booted;
    try {
      booted = new BenchKernel(directory, true, imageReclaimThreshold);
    } catch (RuntimeException e) {
      StateDirectory.delete(directory);
      throw e;
    }
    try {
      return configure.apply(booted);
    } catch (IOException | RuntimeException e) {
      try {
        booted.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Boots a kernel on {@code stateDirectory}, which outlives it: {@link #close()} shuts the kernel
   * down and leaves the directory (the hive, the images) for the next boot.
   */
  public static BenchKernel bootOn(Path stateDirectory, int imageReclaimThreshold) {
    return new BenchKernel(stateDirectory, false, imageReclaimThreshold);
  }

  /** What a benchmark builds on a freshly booted kernel. */
  @FunctionalInterface
  public interface Setup<T> {
    T apply(BenchKernel kernel) throws IOException;
  }

  /**
   * Writes {@code image} to {@code \SystemRoot\System32\drivers\<fileName>} and what {@code sc
   * create <service> type= kernel start= demand binPath= ...} writes: {@code Type} 1, {@code Start}
   * 3, {@code ErrorControl} 1 and {@code ImagePath}.
   *
   * @param fileName the image's file name; two services need two names, because the loader maps
   *     one image path once ({@code STATUS_IMAGE_ALREADY_LOADED})
   * @return the service's key name, for {@code NtLoadDriver}
   */
  public UnicodeString install(String service, DriverImage image, String fileName) throws IOException {
    image.writeTo(drivers().resolve(fileName));
    return installService(service, fileName, DEMAND_START);
  }

  /**
   * Writes the service key {@code sc create <service> type= kernel start= <start> binPath= ...}
   * writes, for an image already in {@link #drivers()}: {@code Type} 1, {@code Start}, {@code
   * ErrorControl} 1 and {@code ImagePath} {@code \SystemRoot\System32\drivers\<fileName>}.
   *
   * @return the service's key name, for {@code NtLoadDriver}
   */
  public UnicodeString installService(String service, String fileName, int start) {
    KeyCreateResult key = nt.ntCreateKey(tool, AccessMask.KEY_ALL_ACCESS,
        ObjectAttributes.of(SERVICES + "\\" + service), 0);
    check("NtCreateKey(Services\\" + service + ")", key.status());
    try {
      set(key.handle(), RegValue.dword("Type", KERNEL_DRIVER));
      set(key.handle(), RegValue.dword("Start", start));
      set(key.handle(), RegValue.dword("ErrorControl", ERROR_NORMAL));
      set(key.handle(), RegValue.expandString("ImagePath", "\\SystemRoot\\System32\\drivers\\" + fileName));
    } finally {
      check("NtClose(Services\\" + service + ")", nt.ntClose(tool, key.handle()));
    }
    return UnicodeString.of(SERVICES + "\\" + service);
  }

  /** The host folder {@code \SystemRoot\System32\drivers} stands for: where images go. */
  public Path drivers() {
    return stateDirectory.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
  }

  private void set(Handle key, RegValue value) {
    check("NtSetValueKey(" + value.name() + ")",
        nt.ntSetValueKey(tool, key, UnicodeString.of(value.name()), value.type(), value.data()));
  }

  /**
   * Opens {@code deviceName} for reading and writing, sharing both.
   *
   * @return the handle, owned by the tool's process
   */
  public Handle open(String deviceName) {
    OpenResult opened = nt.ntCreateFile(tool, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of(deviceName), SHARE_READ_WRITE, 0);
    check("NtCreateFile(" + deviceName + ")", opened.status());
    return opened.handle();
  }

  /** The kernel, for checks in tests. */
  public Kernel kernel() {
    return kernel;
  }

  /** The kernel's system services. */
  public SystemServices nt() {
    return nt;
  }

  /** The administrator's tool thread, for every call. */
  public KThread tool() {
    return tool;
  }

  /** Throws {@link IllegalStateException} naming {@code step} unless {@code status} is success. */
  public static void check(String step, NtStatus status) {
    if (!NtStatus.STATUS_SUCCESS.equals(status)) {
      throw new IllegalStateException(step + " returned " + status + ", not STATUS_SUCCESS");
    }
  }

  /** Shuts the kernel down and deletes its state directory, unless it was {@link #bootOn} one. */
  @Override
  public void close() throws IOException {
    try {
      List<Thread> stuck = kernel.shutdown();
      if (!stuck.isEmpty()) {
        throw new IllegalStateException(stuck.size() + " kernel worker threads did not stop: " + stuck);
      }
    } finally {
      if (ownsDirectory) {
        StateDirectory.delete(stateDirectory);
      }
    }
  }
}
