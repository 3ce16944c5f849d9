package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import ntio.api.IoResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceObject;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.io.devicetests.lab.LabDriver;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.testing.ServiceInstaller;

/**
 * A booted kernel with the tools these tests share: installing services as an installer does,
 * building the lab driver's images, loading and unloading through the system services, opening
 * devices as clients, running lab scripts through {@link LabDriver#IOCTL_LAB_RUN}, and reading what
 * a driver recorded under its {@code Observed} key.
 */
final class IoLab implements AutoCloseable {

  /** Where services live, as a client spells it. */
  static final String SERVICES = ServiceInstaller.SERVICES;

  /** What a client usually asks for. */
  static final int READ_WRITE = AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE;

  final Kernel kernel;
  final SystemServices nt;
  /** An administrator's tool, with SeLoadDriverPrivilege enabled. */
  final KThread admin;
  private final ServiceInstaller installer;
  private final Path drivers;

  private IoLab(Kernel kernel) {
    this.kernel = kernel;
    this.nt = kernel.services();
    this.admin = kernel.administratorSession("installer", Sid.unixUser(1000));
    assertThat(nt.ntAdjustPrivilegesToken(admin,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    this.installer = new ServiceInstaller(kernel, admin);
    this.drivers = installer.drivers();
  }

  static IoLab boot(Path state) {
    return boot(KernelConfig.of(state));
  }

  static IoLab boot(KernelConfig config) {
    return new IoLab(Kernel.boot(config));
  }

  @Override
  public void close() {
    kernel.shutdown();
  }

  // Installing and loading -----------------------------------------------------------------------

  /** Starts describing a lab driver installed as {@code service}, image {@code <service>.jar}. */
  Lab lab(String service) {
    return new Lab(service);
  }

  /** A lab driver service being described. */
  final class Lab {
    private final String service;
    private final List<String> entry = new ArrayList<>();
    private final List<String> unload = new ArrayList<>();
    private boolean wdm;
    private boolean setUnload = true;
    private NtStatus entryStatus = NtStatus.STATUS_SUCCESS;

    private Lab(String service) {
      this.service = service;
    }

    /** Lines DriverEntry runs. */
    Lab entry(String... lines) {
      entry.addAll(List.of(lines));
      return this;
    }

    /** Lines DriverUnload runs instead of its default cleanup. */
    Lab unloadScript(String... lines) {
      unload.addAll(List.of(lines));
      return this;
    }

    /** Marks the image {@code Ntio-Wdm: true}. */
    Lab wdm() {
      wdm = true;
      return this;
    }

    /** Leaves DriverUnload null. */
    Lab withoutUnload() {
      setUnload = false;
      return this;
    }

    /** What DriverEntry returns. */
    Lab entryStatus(NtStatus status) {
      entryStatus = status;
      return this;
    }

    /** Writes the image and the service key. */
    Lab install() {
      DriverJars.image(service + ".jar")
          .entry(LabDriver.class)
          .add(LabDriver.helperClasses().toArray(new Class<?>[0]))
          .wdm(wdm)
          .writeTo(drivers);
      installService(service, service + ".jar");
      String parameters = SERVICES + service + "\\Parameters";
      if (!entry.isEmpty()) {
        setValue(parameters, RegValue.multiString("Entry", entry));
      }
      if (!unload.isEmpty()) {
        setValue(parameters, RegValue.multiString("Unload", unload));
      }
      setValue(parameters, RegValue.dword("SetUnload", setUnload ? 1 : 0));
      setValue(parameters, RegValue.dword("EntryStatus", entryStatus.code()));
      return this;
    }

    /** Installs and loads, expecting success. */
    void load() {
      install();
      assertThat(IoLab.this.load(service)).as("NtLoadDriver(%s): %s", service, observed(service).text("Error"))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  /**
   * Writes the image {@code <service>.jar} with {@code driver} (and its nested classes) as its
   * entry, installs {@code service} for it and loads it, expecting the load to succeed.
   */
  void loadImage(String service, Class<?> driver) {
    DriverJars.image(service + ".jar").entry(driver).writeTo(drivers);
    installService(service, service + ".jar");
    assertThat(load(service)).as("NtLoadDriver(%s)", service).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Where driver images go ({@code \SystemRoot\System32\drivers}). */
  Path drivers() {
    return drivers;
  }

  /** Copies {@code <name>.jar} of the samples and installs the service {@code name} for it. */
  void installSample(String name) {
    installer.installSample(name);
  }

  /** Installs the sample {@code name} ({@link #installSample}) and loads it, expecting success. */
  void loadSample(String name) {
    installSample(name);
    assertThat(load(name)).as("NtLoadDriver(%s)", name).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Writes a service key as an installer does: a demand-start kernel driver. */
  void installService(String service, String imageFile) {
    installer.installService(service, imageFile);
  }

  /** Sets a value, creating the key and every missing key above it. */
  void setValue(String keyPath, RegValue value) {
    installer.setValue(keyPath, value);
  }

  /** Driver Verifier's registry values for {@code imageNames} (DV1). */
  void verifyDrivers(String imageNames, int level) {
    installer.verifyDrivers(imageNames, level);
  }

  NtStatus load(String service) {
    return nt.ntLoadDriver(admin, UnicodeString.of(SERVICES + service));
  }

  NtStatus unload(String service) {
    return nt.ntUnloadDriver(admin, UnicodeString.of(SERVICES + service));
  }

  // Clients --------------------------------------------------------------------------------------

  /** A new session of an ordinary user (uid 2001), the caller most I/O tests call as. */
  KThread userClient() {
    return kernel.userSession("client", Sid.unixUser(2001));
  }

  /** Opens {@code name} for read and write as {@code client}, expecting success; its handle. */
  Handle openReadWrite(KThread client, String name) {
    OpenResult opened = open(client, name, READ_WRITE);
    assertThat(opened.status()).as("open %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  OpenResult open(KThread client, String name, int access) {
    return nt.ntCreateFile(client, access, ObjectAttributes.of(name), 0, 0);
  }

  /** Opens {@code name} for read and write as {@code client}, expecting success. */
  Open open(KThread client, String name, String service) {
    OpenResult opened = open(client, name, READ_WRITE);
    assertThat(opened.status()).as("open %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    return new Open(client, opened.handle(), service);
  }

  /** Opens a lab driver's device as the administrator. */
  Open open(String name, String service) {
    return open(admin, name, service);
  }

  /** An open handle of a client to a device of {@code service}. */
  final class Open {
    final KThread client;
    final Handle handle;
    final String service;

    Open(KThread client, Handle handle, String service) {
      this.client = client;
      this.handle = handle;
      this.service = service;
    }

    /** Runs lab script lines in the driver's dispatch routine, expecting them all to run. */
    Open run(String... lines) {
      IoResult result = control(LabDriver.IOCTL_LAB_RUN,
          String.join(";", lines).getBytes(StandardCharsets.UTF_8), 0);
      assertThat(result.status()).as("script %s: %s", List.of(lines), observed(service).text("Error"))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
      return this;
    }

    IoResult control(int code, byte[] input, int outputLength) {
      return nt.ntDeviceIoControlFile(client, handle, code, input, outputLength);
    }

    IoResult read(int length) {
      return nt.ntReadFile(client, handle, length, 0);
    }

    IoResult write(byte[] data) {
      return nt.ntWriteFile(client, handle, data, 0);
    }

    void close() {
      assertThat(nt.ntClose(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  // Observing ------------------------------------------------------------------------------------

  /** What {@code service}'s driver recorded. */
  Observed observed(String service) {
    return new Observed(SERVICES + service + "\\Observed");
  }

  /** Values a driver wrote under any key: {@code keyPath} is a full NT registry path. */
  Observed values(String keyPath) {
    return new Observed(keyPath);
  }

  /** Values a driver wrote under its {@code Observed} key, read through the system services. */
  final class Observed {
    private final String key;

    private Observed(String key) {
      this.key = key;
    }

    private ValueResult query(String name) {
      OpenResult opened = nt.ntOpenKey(admin, AccessMask.KEY_READ, ObjectAttributes.of(key));
      if (!opened.status().isSuccess()) {
        return new ValueResult(opened.status(), null);
      }
      try {
        return nt.ntQueryValueKey(admin, opened.handle(), UnicodeString.of(name));
      } finally {
        nt.ntClose(admin, opened.handle());
      }
    }

    boolean has(String name) {
      return query(name).status().isSuccess();
    }

    /** A recorded {@code REG_DWORD}; fails the test when it is missing. */
    int dword(String name) {
      ValueResult value = query(name);
      if (!value.status().isSuccess()) {
        return fail("%s\\%s was not recorded: %s", key, name, value.status());
      }
      return value.value().dwordValue().orElseThrow(() -> new AssertionError(name + " is " + value.value()));
    }

    /** A counter: 0 when never incremented. */
    int count(String name) {
      return has(name) ? dword(name) : 0;
    }

    NtStatus status(String name) {
      return NtStatus.of(dword(name));
    }

    /** A recorded {@code REG_SZ}; fails the test when it is missing. */
    String string(String name) {
      ValueResult value = query(name);
      if (!value.status().isSuccess()) {
        return fail("%s\\%s was not recorded: %s", key, name, value.status());
      }
      return value.value().stringValue().orElseThrow(() -> new AssertionError(name + " is " + value.value()));
    }

    /** A {@code REG_SZ} or a note that there is none, for messages. */
    String text(String name) {
      ValueResult value = query(name);
      return value.status().isSuccess() ? value.value().stringValue().orElse("?") : "(no " + name + ")";
    }
  }

  /** Whether {@code name} names an object of {@code type} now. */
  boolean exists(String name, ObjectType type) {
    Referenced<KernelObject> found = kernel.objects().referenceByName(name, type);
    if (found.isSuccess()) {
      found.object().dereference();
      return true;
    }
    return false;
  }

  /** Reads a field of the device named {@code name} through the DDK's view of it. */
  <T> T device(String name, Function<DeviceObject, T> field) {
    Referenced<KernelObject> found = kernel.objects().referenceByName(name, kernel.io().deviceType());
    assertThat(found.status()).as("reference %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      return field.apply((DeviceObject) found.object());
    } finally {
      found.object().dereference();
    }
  }

  boolean deviceExists(String name) {
    return exists(name, kernel.io().deviceType());
  }

  boolean driverExists(String service) {
    return exists("\\Driver\\" + service, kernel.io().driverType());
  }

  /** The object manager's pointer count of a named object, less the reference taken to read it. */
  long pointerCount(String name, ObjectType type) {
    Referenced<KernelObject> found = kernel.objects().referenceByName(name, type);
    assertThat(found.status()).as("reference %s", name).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      return found.object().pointerCount() - 1;
    } finally {
      found.object().dereference();
    }
  }

  long devicePointers(String name) {
    return pointerCount(name, kernel.io().deviceType());
  }

  /**
   * Waits for work the kernel finishes on a System worker (a deferred or automatic unload) to
   * become visible; the test's {@code @Timeout} bounds it, the deadline here names what was awaited.
   */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("gave up waiting for " + what);
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Waits until {@code \Driver\<service>} is gone: its unload ran and its name went. */
  void awaitUnloaded(String service) {
    await("\\Driver\\" + service + " to go", () -> !driverExists(service));
  }
}
