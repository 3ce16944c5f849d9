package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceObject;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.unloadtests.scripted.ScriptedDriver;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;

/**
 * A booted kernel for the unload tests, with an administrator whose SeLoadDriverPrivilege is
 * enabled, and the steps an installer and a client take: write a service key, copy an image into
 * {@code SystemRoot\System32\drivers}, load, unload, open, close, read what a driver observed.
 *
 * <p>Every bug check the kernel raises is kept; {@link #close()} fails if there was one.
 */
final class UnloadFixture implements AutoCloseable {

  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  /** Where the sample drivers are built (see {@link SampleImages}). */
  static final Path SAMPLE_DRIVERS =
      SampleImages.directory();

  /** The scripted driver's image: its package's classes (two of them package-private there). */
  private static final List<Class<?>> SCRIPTED_CLASSES = List.of(
      ScriptedNames.class,
      classNamed("ntio.kernel.io.unloadtests.scripted.Script"),
      classNamed("ntio.kernel.io.unloadtests.scripted.ScriptedLoad"));

  /** How long an asynchronous end (a deferred DriverUnload on a worker) is waited for. */
  private static final long AWAIT_MILLIS = 15_000;

  final Kernel kernel;
  final KThread admin;
  final Path drivers;
  final List<BugCheck> bugChecks = new CopyOnWriteArrayList<>();

  private UnloadFixture(Path state) {
    this.kernel = Kernel.boot(KernelConfig.of(state).withCrashHandler(bugChecks::add));
    this.admin = kernel.administratorSession("installer", Sid.unixUser(1000));
    this.drivers = state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    AdjustPrivilegesResult enabled = kernel.services().ntAdjustPrivilegesToken(admin,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
    assertThat(enabled.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private static Class<?> classNamed(String name) {
    try {
      return Class.forName(name, false, UnloadFixture.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + " is not on the test class path", e);
    }
  }

  static UnloadFixture boot(Path state) {
    return new UnloadFixture(state);
  }

  @Override
  public void close() {
    kernel.shutdown();
    assertThat(bugChecks).as("bug checks").isEmpty();
  }

  // Installing ------------------------------------------------------------------------------------

  /** Writes the scripted driver's image as {@code <service>.jar} and a Type 1 service for it. */
  void installScripted(String service, RegValue... parameters) {
    installScripted(service, 1, null, false, parameters);
  }

  /**
   * Writes the scripted driver's image as {@code <service>.jar} and a service of {@code type}
   * for it, with {@code objectName} if not null, and the parameters.
   */
  void installScripted(String service, int type, String objectName, boolean wdm, RegValue... parameters) {
    DriverJars.image(service + ".jar").entry(ScriptedDriver.class)
        .add(SCRIPTED_CLASSES.toArray(new Class<?>[0]))
        .wdm(wdm)
        .writeTo(drivers);
    installService(service, service + ".jar", type, objectName);
    for (RegValue parameter : parameters) {
      setParameter(service, parameter);
    }
  }

  /** Copies one of the sample drivers ({@code Echo.jar}, say) and writes a Type 1 service for it. */
  void installSample(String service, String imageFile) {
    try {
      Files.copy(SAMPLE_DRIVERS.resolve(imageFile), drivers.resolve(imageFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    installService(service, imageFile, 1, null);
  }

  /** A service key as an installer writes it. */
  void installService(String service, String imageFile, int type, String objectName) {
    Handle key = createKey(SERVICES + service);
    try {
      set(key, RegValue.dword("Type", type));
      set(key, RegValue.dword("Start", 3));
      set(key, RegValue.expandString("ImagePath", "System32\\drivers\\" + imageFile));
      if (objectName != null) {
        set(key, RegValue.string("ObjectName", objectName));
      }
    } finally {
      close(key);
    }
  }

  void setParameter(String service, RegValue value) {
    Handle key = createKey(SERVICES + service + "\\" + ScriptedNames.PARAMETERS);
    try {
      set(key, value);
    } finally {
      close(key);
    }
  }

  private Handle createKey(String path) {
    KeyCreateResult created = kernel.services().ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS,
        ObjectAttributes.of(path), 0);
    assertThat(created.status()).as("create %s", path).isEqualTo(NtStatus.STATUS_SUCCESS);
    return created.handle();
  }

  private void set(Handle key, RegValue value) {
    assertThat(kernel.services().ntSetValueKey(admin, key, UnicodeString.of(value.name()), value.type(),
        value.data())).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Deletes a key that has no subkeys. */
  void deleteKey(String path) {
    OpenResult opened = kernel.services().ntOpenKey(admin, AccessMask.DELETE, ObjectAttributes.of(path));
    assertThat(opened.status()).as("open %s", path).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      assertThat(kernel.services().ntDeleteKey(admin, opened.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      close(opened.handle());
    }
  }

  // Loading ---------------------------------------------------------------------------------------

  static UnicodeString serviceKey(String service) {
    return UnicodeString.of(SERVICES + service);
  }

  NtStatus load(String service) {
    return kernel.services().ntLoadDriver(admin, serviceKey(service));
  }

  NtStatus unload(String service) {
    return kernel.services().ntUnloadDriver(admin, serviceKey(service));
  }

  // Observing -------------------------------------------------------------------------------------

  /** A DWORD the driver of {@code service} observed, 0 if it wrote none. */
  int observed(String service, String name) {
    RegValue value = observedValue(service, name);
    return value == null ? 0 : value.dwordValue().orElseThrow();
  }

  /** A string the driver of {@code service} observed, null if it wrote none. */
  String observedString(String service, String name) {
    RegValue value = observedValue(service, name);
    if (value == null) {
      return null;
    }
    assertThat(value.type()).isEqualTo(RegType.REG_SZ);
    return value.stringValue().orElseThrow();
  }

  /** Whether the driver of {@code service} wrote the observation {@code name}. */
  boolean hasObserved(String service, String name) {
    return observedValue(service, name) != null;
  }

  private RegValue observedValue(String service, String name) {
    OpenResult opened = kernel.services().ntOpenKey(admin, AccessMask.KEY_READ,
        ObjectAttributes.of(SERVICES + service + "\\" + ScriptedNames.OBSERVED));
    if (opened.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      return null;
    }
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      ValueResult value = kernel.services().ntQueryValueKey(admin, opened.handle(), UnicodeString.of(name));
      if (value.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
        return null;
      }
      assertThat(value.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      return value.value();
    } finally {
      close(opened.handle());
    }
  }

  /** Neither rule the scripted driver checks on itself was broken. */
  void assertNoViolations(String service) {
    assertThat(hasObserved(service, ScriptedNames.VIOLATION_UNLOAD_WITH_OPENS))
        .as("DriverUnload ran with opens counted").isFalse();
    assertThat(hasObserved(service, ScriptedNames.VIOLATION_CREATE_AFTER_UNLOAD))
        .as("a create arrived after DriverUnload").isFalse();
    assertThat(hasObserved(service, ScriptedNames.WAIT_TIMED_OUT)).as("a driver wait timed out").isFalse();
  }

  /** Whether an object of {@code type} is named {@code name}. */
  boolean resolves(String name, ObjectType type) {
    Referenced<ntio.kernel.objects.KernelObject> found = kernel.objects().referenceByName(name, type);
    if (found.isSuccess()) {
      found.object().dereference();
      return true;
    }
    assertThat(found.status()).as("looking up %s", name).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    return false;
  }

  boolean driverResolves(String driverName) {
    return resolves(driverName, kernel.io().driverType());
  }

  boolean deviceResolves(String deviceName) {
    return resolves(deviceName, kernel.io().deviceType());
  }

  boolean linkResolves(String linkName) {
    return resolves(linkName, kernel.objects().symbolicLinkType());
  }

  /** A snapshot of a driver object's state, read with its name still in the namespace. */
  record DriverState(int flags, int devices) {}

  DriverState driverState(String driverName) {
    Referenced<KernelDriverObject> found = kernel.objects().referenceByName(driverName, kernel.io().driverType());
    assertThat(found.status()).as("looking up %s", driverName).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      int count = 0;
      for (DeviceObject d = found.object().deviceObject(); d != null; d = d.nextDevice()) {
        count++;
      }
      return new DriverState(found.object().flags(), count);
    } finally {
      found.object().dereference();
    }
  }

  /** A snapshot of a device's state, read with its name still in the namespace. */
  record DeviceState(int flags, int extensionFlags, int referenceCount, String attachedDevice, String attachedTo) {}

  DeviceState deviceState(String deviceName) {
    Referenced<KernelDeviceObject> found = kernel.objects().referenceByName(deviceName, kernel.io().deviceType());
    assertThat(found.status()).as("looking up %s", deviceName).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      DeviceObject device = found.object();
      return new DeviceState(device.flags(), device.deviceObjectExtension().extensionFlags(),
          device.referenceCount(), nameOf(device.attachedDevice()),
          nameOf(device.deviceObjectExtension().attachedTo()));
    } finally {
      found.object().dereference();
    }
  }

  private static String nameOf(DeviceObject device) {
    return device == null ? "" : device.deviceName().orElse("(unnamed)");
  }

  /** Whether the image {@code <file>} is in the loader's loaded-image list. */
  boolean imageLoaded(String imageFile) {
    String suffix = ("\\" + imageFile).toUpperCase(Locale.ROOT);
    for (LoadedImage image : kernel.io().loader().loadedImages()) {
      if (image.ntPath().toUpperCase(Locale.ROOT).endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits, bounded, for something that happens on a System worker after the call that caused it
   * returned (a deferred DriverUnload, the image's unmapping). Not a timing assertion: the bound
   * only keeps a broken kernel from hanging the run.
   */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("still waiting after " + AWAIT_MILLIS + " ms for: " + what);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
    }
  }

  /**
   * Waits for the unload of the scripted driver {@code service} to have ended: DriverUnload ran
   * for the {@code unloads}th time, the driver's name is gone and its image is unmapped.
   */
  void awaitUnloaded(String service, String driverName, int unloads) {
    await(driverName + " to run DriverUnload", () -> observed(service, ScriptedNames.UNLOADS) >= unloads);
    await(driverName + " to leave the namespace", () -> !driverResolves(driverName));
    await(service + ".jar to be unmapped", () -> !imageLoaded(service + ".jar"));
  }

  /**
   * After a complete unload: DriverUnload ran exactly {@code unloads} times, and the driver loads
   * again (a new DriverEntry) and unloads at once, which runs DriverUnload exactly once more.
   */
  void assertReloadsAndUnloadsAgain(String service, String driverName, int unloads) {
    assertThat(observed(service, ScriptedNames.UNLOADS)).as("DriverUnload calls").isEqualTo(unloads);
    int loads = observed(service, ScriptedNames.LOADS);
    assertThat(load(service)).as("reload").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(observed(service, ScriptedNames.LOADS)).isEqualTo(loads + 1);
    assertThat(driverResolves(driverName)).isTrue();
    assertThat(unload(service)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(observed(service, ScriptedNames.UNLOADS)).as("DriverUnload calls after reload").isEqualTo(unloads + 1);
    assertThat(driverResolves(driverName)).isFalse();
    await(service + ".jar to be unmapped", () -> !imageLoaded(service + ".jar"));
    assertNoViolations(service);
  }

  // Clients ---------------------------------------------------------------------------------------

  OpenResult tryOpen(KThread thread, String name) {
    return kernel.services().ntCreateFile(thread, AccessMask.FILE_READ_DATA | AccessMask.FILE_WRITE_DATA
        | AccessMask.SYNCHRONIZE, ObjectAttributes.of(name), 0, 0);
  }

  Handle open(KThread thread, String name) {
    OpenResult opened = tryOpen(thread, name);
    assertThat(opened.status()).as("open %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  void close(Handle handle) {
    close(admin, handle);
  }

  void close(KThread thread, Handle handle) {
    assertThat(kernel.services().ntClose(thread, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Sends one of the scripted driver's device controls and returns its status. */
  NtStatus control(KThread thread, Handle handle, int code, int input) {
    byte[] in = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(input).array();
    return kernel.services().ntDeviceIoControlFile(thread, handle, code, in, 0).status();
  }

  NtStatus control(KThread thread, Handle handle, int code) {
    return kernel.services().ntDeviceIoControlFile(thread, handle, code, new byte[0], 0).status();
  }

  /** The generation of the load whose device {@code handle} is open on (IOCTL_QUERY_GENERATION). */
  int generation(KThread thread, Handle handle) {
    var result = kernel.services().ntDeviceIoControlFile(thread, handle, ScriptedNames.IOCTL_QUERY_GENERATION,
        new byte[0], 4);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }
}
