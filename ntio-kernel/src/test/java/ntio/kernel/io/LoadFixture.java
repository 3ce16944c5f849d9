package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.DriverInfo;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.CrashHandler;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;

/**
 * What every load test does through the real system services: install a service key as an
 * installer writes it, load and unload as an administrator whose SeLoadDriverPrivilege is
 * enabled, read back what a test driver recorded, and look at the namespace and the loader's
 * list.
 */
final class LoadFixture {

  /** Where installers write service keys. */
  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  /** The same keys as the registry names them: CurrentControlSet resolved. */
  static final String RESOLVED_SERVICES = "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\";

  /** The image every scripted service uses unless it says otherwise. */
  static final String SCRIPTED_JAR = "Scripted.jar";

  /** How long a test waits for work the kernel finishes on a worker thread. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  final Kernel kernel;
  /** An administrator whose SeLoadDriverPrivilege is enabled: what {@code sc start} runs as. */
  final KThread admin;

  LoadFixture(Kernel kernel) {
    this.kernel = kernel;
    this.admin = kernel.administratorSession("installer", Sid.unixUser(1000));
    AdjustPrivilegesResult enabled = kernel.services().ntAdjustPrivilegesToken(admin,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
    assertThat(enabled.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** The host folder {@code \SystemRoot\System32\drivers} stands for. */
  Path drivers() {
    return kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
  }

  /** Writes the scripted test driver as {@code drivers/<fileName>}. */
  Path scriptedImage(String fileName) {
    return DriverJars.driver(drivers(), fileName, ScriptedDriver.class);
  }

  // Service keys ----------------------------------------------------------------------------------

  /** A key below CurrentControlSet\Services, created if missing. */
  Key service(String name) {
    return key(SERVICES + name);
  }

  /** A key anywhere, created with its missing parents. */
  Key key(String path) {
    createKey(path);
    return new Key(path);
  }

  /**
   * A scripted legacy driver's service written as an installer writes it: Type 1, Start 3,
   * ErrorControl 1, ImagePath {@code System32\drivers\<image>}.
   */
  Key scriptedService(String name, String image) {
    return service(name).installer(image);
  }

  /** {@link #scriptedService} with its own copy of the scripted image, {@code <name>.jar}. */
  Key scriptedService(String name) {
    scriptedImage(name + ".jar");
    return scriptedService(name, name + ".jar");
  }

  private void createKey(String path) {
    KeyCreateResult created = kernel.services().ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS,
        ObjectAttributes.of(path), 0);
    if (created.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      createKey(path.substring(0, path.lastIndexOf('\\')));
      created = kernel.services().ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(path), 0);
    }
    assertThat(created.status()).as("create %s", path).isEqualTo(NtStatus.STATUS_SUCCESS);
    kernel.services().ntClose(admin, created.handle());
  }

  /** A registry key being written. */
  final class Key {
    final String path;

    Key(String path) {
      this.path = path;
    }

    /** Sets a value, as {@code NtSetValueKey} stores it. */
    Key set(RegValue value) {
      OpenResult opened = kernel.services().ntOpenKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(path));
      assertThat(opened.status()).as("open %s", path).isEqualTo(NtStatus.STATUS_SUCCESS);
      try {
        NtStatus set = kernel.services().ntSetValueKey(admin, opened.handle(), UnicodeString.of(value.name()),
            value.type(), value.data());
        assertThat(set).as("set %s\\%s", path, value.name()).isEqualTo(NtStatus.STATUS_SUCCESS);
      } finally {
        kernel.services().ntClose(admin, opened.handle());
      }
      return this;
    }

    /** Deletes a value. */
    Key delete(String valueName) {
      OpenResult opened = kernel.services().ntOpenKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(path));
      assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      try {
        kernel.services().ntDeleteValueKey(admin, opened.handle(), UnicodeString.of(valueName));
      } finally {
        kernel.services().ntClose(admin, opened.handle());
      }
      return this;
    }

    /** Type 1, Start 3, ErrorControl 1, ImagePath REG_EXPAND_SZ {@code System32\drivers\<image>}. */
    Key installer(String image) {
      return set(RegValue.dword("Type", 1))
          .set(RegValue.dword("Start", 3))
          .set(RegValue.dword("ErrorControl", 1))
          .set(RegValue.expandString("ImagePath", "System32\\drivers\\" + image));
    }

    /** A value under the {@code Parameters} subkey, which the scripted driver reads. */
    Key parameter(RegValue value) {
      key(path + "\\" + ScriptedDriver.PARAMETERS).set(value);
      return this;
    }

    /** A DWORD 1 under {@code Parameters}. */
    Key parameter(String name) {
      return parameter(RegValue.dword(name, 1));
    }

    /** A REG_SZ under {@code Parameters}. */
    Key parameter(String name, String text) {
      return parameter(RegValue.string(name, text));
    }

    /** The key as a system-service argument. */
    UnicodeString name() {
      return UnicodeString.of(path);
    }
  }

  // Loading ---------------------------------------------------------------------------------------

  /** {@code NtLoadDriver} of a service below CurrentControlSet, as the administrator. */
  NtStatus load(String service) {
    return kernel.services().ntLoadDriver(admin, UnicodeString.of(SERVICES + service));
  }

  /** {@code NtUnloadDriver} of a service below CurrentControlSet, as the administrator. */
  NtStatus unload(String service) {
    return kernel.services().ntUnloadDriver(admin, UnicodeString.of(SERVICES + service));
  }

  // What drivers recorded -------------------------------------------------------------------------

  /** A value of a key, read through the system services; empty if the key or value is missing. */
  Optional<RegValue> value(String keyPath, String name) {
    OpenResult opened = kernel.services().ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(keyPath));
    if (!opened.status().isSuccess()) {
      return Optional.empty();
    }
    try {
      ValueResult value = kernel.services().ntQueryValueKey(admin, opened.handle(), UnicodeString.of(name));
      return value.status().isSuccess() ? Optional.of(value.value()) : Optional.empty();
    } finally {
      kernel.services().ntClose(admin, opened.handle());
    }
  }

  /**
   * A value a driver recorded, read by the kernel's own registry: what a debugger shows once the
   * kernel is halted and its system services answer nothing.
   */
  Optional<RegValue> valueAfterHalt(String keyPath, String name) {
    KThread system = kernel.systemThread();
    OpenResult opened = kernel.registry().ntOpenKey(system, AccessMask.KEY_READ,
        new ObjectAttributes(Handle.NULL, UnicodeString.of(keyPath),
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
    if (!opened.status().isSuccess()) {
      return Optional.empty();
    }
    try {
      ValueResult value = kernel.registry().ntQueryValueKey(system, opened.handle(), UnicodeString.of(name));
      return value.status().isSuccess() ? Optional.of(value.value()) : Optional.empty();
    } finally {
      kernel.objects().close(opened.handle(), system);
    }
  }

  /** What the scripted driver of a service below CurrentControlSet recorded. */
  Optional<RegValue> observed(String service, String name) {
    return value(SERVICES + service + "\\" + ScriptedDriver.OBSERVED, name);
  }

  /** A DWORD the scripted driver recorded; empty when it recorded none. */
  OptionalInt observedDword(String service, String name) {
    return observed(service, name).map(RegValue::dwordValue).orElse(OptionalInt.empty());
  }

  /** A recorded status. */
  NtStatus observedStatus(String service, String name) {
    OptionalInt code = observedDword(service, name);
    assertThat(code).as("%s recorded %s", service, name).isPresent();
    return NtStatus.of(code.getAsInt());
  }

  /** A REG_SZ the scripted driver recorded. */
  Optional<String> observedString(String service, String name) {
    return observed(service, name).filter(v -> v.type() == RegType.REG_SZ).flatMap(RegValue::stringValue);
  }

  /** How many times DriverEntry ran for the service: 0 if never. */
  int entryCount(String service) {
    return observedDword(service, ScriptedDriver.ENTRY_COUNT).orElse(0);
  }

  /** How many times DriverUnload ran for the service: 0 if never. */
  int unloadCount(String service) {
    return observedDword(service, ScriptedDriver.UNLOAD_COUNT).orElse(0);
  }

  // The namespace and the loader ------------------------------------------------------------------

  /** Whether an object of the type is in the namespace under the name. */
  boolean exists(String name, ObjectType type) {
    Referenced<KernelObject> found = kernel.objects().referenceByName(name, type);
    if (found.isSuccess()) {
      found.object().dereference();
      return true;
    }
    return false;
  }

  boolean driverExists(String name) {
    return exists(name, kernel.io().driverType());
  }

  boolean deviceExists(String name) {
    return exists(name, kernel.io().deviceType());
  }

  boolean linkExists(String name) {
    Referenced<KernelObject> found = kernel.objects().referenceByName(
        ObjectAttributes.of(name, ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_OPENLINK),
        kernel.objects().symbolicLinkType(), 0, kernel.objects().kernelCaller(), null);
    if (found.isSuccess()) {
      found.object().dereference();
      return true;
    }
    return false;
  }

  /** The driver object of that name, referenced; the caller dereferences it. */
  KernelDriverObject referenceDriver(String name) {
    Referenced<KernelDriverObject> found = kernel.objects().referenceByName(name, kernel.io().driverType());
    assertThat(found.status()).as("reference %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return found.object();
  }

  /** The device object of that name, referenced; the caller dereferences it. */
  KernelDeviceObject referenceDevice(String name) {
    Referenced<KernelDeviceObject> found = kernel.objects().referenceByName(name, kernel.io().deviceType());
    assertThat(found.status()).as("reference %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return found.object();
  }

  /** The names of the loaded driver objects, as driverquery lists them. */
  List<String> driverNames() {
    return kernel.io().drivers().stream().map(DriverInfo::name).toList();
  }

  /** The loader's list of mapped images. */
  List<LoadedImage> images() {
    return kernel.io().loader().loadedImages();
  }

  /** The NT paths of the mapped images. */
  List<String> imagePaths() {
    return images().stream().map(LoadedImage::ntPath).toList();
  }

  /** Opens a device (or a link to one) for read and write, as a client of the device would. */
  OpenResult open(KThread thread, String name) {
    return kernel.services().ntCreateFile(thread, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of(name), 0, 0);
  }

  // The System worker threads ---------------------------------------------------------------------

  /**
   * The threads serving the delayed work queue, found by occupying every one of them at once: each
   * item waits until all have started, so no two can run on one thread.
   */
  Set<Thread> delayedWorkers() throws InterruptedException {
    return delayedWorkerBindings().keySet();
  }

  /**
   * The threads serving the delayed work queue, each with the kernel thread the process manager
   * has bound it to (the System process, in kernel mode, for a real worker).
   */
  Map<Thread, KThread> delayedWorkerBindings() throws InterruptedException {
    int count = kernel.workQueues().statistics(WorkQueueType.DELAYED).threads();
    CountDownLatch started = new CountDownLatch(count);
    CountDownLatch release = new CountDownLatch(1);
    Map<Thread, KThread> seen = new ConcurrentHashMap<>();
    for (int i = 0; i < count; i++) {
      NtStatus queued = kernel.workQueues().queue(WorkQueueType.DELAYED, () -> {
        kernel.processes().currentThread().ifPresent(bound -> seen.put(Thread.currentThread(), bound));
        started.countDown();
        try {
          release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(queued).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    boolean all = started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    release.countDown();
    assertThat(all).as("all %s delayed workers took an item", count).isTrue();
    assertThat(seen).as("every delayed worker is bound to a kernel thread").hasSize(count);
    return Map.copyOf(seen);
  }

  /** The live Java thread of that name, if there is one. */
  static Optional<Thread> liveThread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .findFirst();
  }

  /**
   * Waits until {@code condition} holds, for work a System worker finishes after the call that
   * started it returned (a deferred unload); fails if it does not within {@link #PATIENCE}.
   */
  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still not true after " + PATIENCE + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }

  /** A crash handler that remembers each bug check it was handed, as a test's own handler. */
  static final class RecordingCrashHandler implements CrashHandler {
    final List<BugCheck> handled = new CopyOnWriteArrayList<>();

    @Override
    public void onBugCheck(BugCheck bugCheck) {
      handled.add(bugCheck);
    }

    /** The one bug check; fails if there was none or more than one. */
    BugCheck only() {
      assertThat(handled).as("bug checks handled").hasSize(1);
      return handled.get(0);
    }
  }
}
