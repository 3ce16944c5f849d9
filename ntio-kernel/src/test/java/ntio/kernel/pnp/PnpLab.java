package ntio.kernel.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.pnp.drivers.PnpTestDriver;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.testing.ServiceInstaller;

/**
 * A booted kernel for the PnP manager's tests: {@link PnpTestDriver} images installed as WDM
 * services, instance keys written as an installer writes them, an administrator client ({@link
 * LocalNt}, SeLoadDriverPrivilege enabled), and the drivers' shared log. Public for the other PnP
 * tests of the kernel (the framework's PnP half, the samples) to bring devices up the same way.
 */
public final class PnpLab implements AutoCloseable {

  public static final String ENUM_ROOT = "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\Root\\";
  public static final String SERVICES = ServiceInstaller.SERVICES;
  public static final int READ_WRITE = AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE;

  public final Kernel kernel;
  public final LocalNt admin;
  public final ServiceInstaller installer;

  private PnpLab(Kernel kernel) {
    this.kernel = kernel;
    this.admin = LocalNt.administrator(kernel, "devcon", 1000);
    assertThat(admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)))
        .status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    this.installer = new ServiceInstaller(kernel, admin.thread());
  }

  public static PnpLab boot(Path state) {
    return new PnpLab(Kernel.boot(KernelConfig.of(state)));
  }

  @Override
  public void close() {
    kernel.shutdown();
  }

  /** Installs {@code service}: a WDM image of {@link PnpTestDriver} and its Parameters. */
  public PnpLab driver(String service, String... parameters) {
    image(service, PnpTestDriver.class);
    installer.setValue(SERVICES + service + "\\Parameters", RegValue.dword("Present", 1));
    for (String parameter : parameters) {
      installer.setValue(SERVICES + service + "\\Parameters", RegValue.dword(parameter, 1));
    }
    return this;
  }

  /**
   * Installs {@code service}: a WDM image ({@code <service>.jar}) whose entry class is {@code entry},
   * holding {@code more} too, as a demand-start service.
   */
  public PnpLab image(String service, Class<?> entry, Class<?>... more) {
    DriverJars.image(service + ".jar").entry(entry).add(more).wdm(true).writeTo(installer.drivers());
    installer.installService(service, service + ".jar");
    return this;
  }

  /** Writes a value of the registry, creating the keys. */
  public void set(String key, RegValue value) {
    installer.setValue(key, value);
  }

  /** Installs a root device through the client API. */
  public String install(String hardwareId, String service, List<String> lower, List<String> upper) {
    DeviceInstallResult result = admin.installDevice(new DeviceInstall(hardwareId, service, "", lower, upper));
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.instancePath();
  }

  /** The devnode with this instance path, if the tree has it. */
  public Optional<DevNodeInfo> node(String instancePath) {
    kernel.pnp().awaitIdle();
    return admin.queryDeviceTree().rows().stream()
        .filter(n -> n.instancePath().equalsIgnoreCase(instancePath)).findFirst();
  }

  public DevNodeInfo existing(String instancePath) {
    return node(instancePath).orElseThrow(() -> new AssertionError("no devnode " + instancePath + " in "
        + admin.queryDeviceTree().rows().stream().map(DevNodeInfo::instancePath).toList()));
  }

  /** The drivers' shared log, as {@code service:event} entries. */
  public List<String> log() {
    RegValue log = kernel.registry().queryKernelValues(kernel.systemThread(), PnpTestDriver.LOG_KEY, "Log")
        .get("Log");
    String text = log == null ? "" : log.stringValue().orElse("");
    return text.isEmpty() ? List.of() : List.of(text.split(";"));
  }

  public boolean driverLoaded(String service) {
    return kernel.io().driver("\\Driver\\" + service).isPresent();
  }

  public boolean imageMapped(String service) {
    return kernel.io().loader().loadedImages().stream()
        .anyMatch(image -> image.imageName().equalsIgnoreCase(service + ".jar"));
  }

  public boolean keyExists(String path) {
    OpenResult opened = admin.openKey(AccessMask.KEY_READ, ObjectAttributes.of(path));
    if (opened.status().isSuccess()) {
      admin.close(opened.handle());
    }
    return opened.status().isSuccess();
  }

  /** Opens a device by name as the administrator's client. */
  public Handle open(String deviceName) {
    OpenResult opened = admin.openFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of(deviceName), 0, 0);
    assertThat(opened.status()).as("open %s", deviceName).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  public NtStatus ioctl(Handle handle, int code, int serial) {
    byte[] input = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(serial).array();
    return admin.deviceIoControlFile(handle, code, input, 0).status();
  }

  /** The name of the device with {@code role} in the devnode's stack. */
  public String deviceOf(String instancePath, String role) {
    return existing(instancePath).stack().stream().filter(l -> l.role().equals(role)).findFirst()
        .orElseThrow().deviceName();
  }

  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
