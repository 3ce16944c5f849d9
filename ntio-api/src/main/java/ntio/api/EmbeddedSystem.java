package ntio.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.ShareAccess;
import ntio.ddk.UnicodeString;

/**
 * {@link NtSystem} over an embedded kernel: every typed call is made with the system calls of one
 * administrator client, as the command line's {@code sc} and the shell make them.
 */
final class EmbeddedSystem implements NtSystem {

  /** Where service keys live, as a client spells it. */
  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  /** How often {@link #awaitUnload} asks whether the driver is gone. */
  private static final Duration POLL = Duration.ofMillis(5);

  private final EmbeddedKernel kernel;
  private final NtApi nt;

  EmbeddedSystem(EmbeddedKernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.nt = kernel.administratorClient("ntio-embedder");
  }

  @Override
  public NtApi nt() {
    return nt;
  }

  @Override
  public NtStatus installDriver(String service, Path jar) {
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    String file = jar.getFileName().toString();
    // SystemRoot is the kernel's Kernel.SYSTEM_ROOT: the image directory a service's relative
    // ImagePath is resolved against.
    Path drivers = kernel.stateDirectory().resolve("SystemRoot").resolve("System32").resolve("drivers");
    try {
      Files.createDirectories(drivers);
      Files.copy(jar, drivers.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    KeyCreateResult key = nt.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(SERVICES + service), 0);
    if (!key.status().isSuccess()) {
      return key.status();
    }
    try {
      for (RegValue value : List.of(RegValue.dword("Type", 1), RegValue.dword("Start", 3),
          RegValue.dword("ErrorControl", 1), RegValue.expandString("ImagePath", "System32\\drivers\\" + file))) {
        NtStatus set = nt.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data());
        if (!set.isSuccess()) {
          return set;
        }
      }
      return nt.flushKey(key.handle());
    } finally {
      nt.close(key.handle());
    }
  }

  @Override
  public NtStatus load(String service) {
    enableLoadDriverPrivilege();
    return nt.loadDriver(UnicodeString.of(SERVICES + service));
  }

  @Override
  public NtStatus unload(String service) {
    enableLoadDriverPrivilege();
    return nt.unloadDriver(UnicodeString.of(SERVICES + service));
  }

  private void enableLoadDriverPrivilege() {
    nt.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
  }

  @Override
  public NtStatus awaitUnload(String service, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      SystemResult<DriverInfo> drivers = nt.queryDrivers();
      if (!drivers.status().isSuccess()) {
        return drivers.status();
      }
      if (drivers.rows().stream().noneMatch(driver -> driver.service().equalsIgnoreCase(service))) {
        return NtStatus.STATUS_SUCCESS;
      }
      if (System.nanoTime() - deadline >= 0) {
        return NtStatus.STATUS_TIMEOUT;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NtStatus.STATUS_TIMEOUT;
      }
    }
  }

  @Override
  public NtDevice open(String devicePath) {
    OpenResult opened = nt.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.SYNCHRONIZE,
        ObjectAttributes.of(devicePath), ShareAccess.FILE_SHARE_READ | ShareAccess.FILE_SHARE_WRITE,
        CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT);
    return new OpenDevice(nt, opened.status(), opened.handle());
  }

  @Override
  public void onBugCheck(Consumer<BugCheckReport> listener) {
    kernel.onBugCheck(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void onHalt(Consumer<KernelHalt> listener) {
    kernel.onHalt(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void close() {
    try {
      nt.close();
    } finally {
      kernel.close();
    }
  }

  /** A device this system opened; the handle is closed at most once. */
  private static final class OpenDevice implements NtDevice {

    private final NtApi nt;
    private final NtStatus status;
    private final Handle handle;
    private final AtomicBoolean closed = new AtomicBoolean();

    OpenDevice(NtApi nt, NtStatus status, Handle handle) {
      this.nt = nt;
      this.status = status;
      this.handle = handle;
    }

    @Override
    public NtStatus status() {
      return status;
    }

    @Override
    public IoResult call(int ioControlCode, byte[] input, int outputLength) {
      return status.isSuccess() ? nt.deviceIoControlFile(handle, ioControlCode, input, outputLength)
          : IoResult.failed(status);
    }

    @Override
    public IoResult read(int length, long byteOffset) {
      return status.isSuccess() ? nt.readFile(handle, length, byteOffset) : IoResult.failed(status);
    }

    @Override
    public IoResult write(byte[] data, long byteOffset) {
      return status.isSuccess() ? nt.writeFile(handle, data, byteOffset) : IoResult.failed(status);
    }

    @Override
    public void close() {
      if (status.isSuccess() && closed.compareAndSet(false, true)) {
        nt.close(handle);
      }
    }
  }
}
