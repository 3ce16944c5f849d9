package ntio.bench.pnp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.IoResult;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.bench.BenchKernel;
import ntio.bench.images.ImageJars;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.LocalNt;
import ntio.kernel.loader.ImageReclaim;

/**
 * A kernel with a toaster-shaped PnP stack to plug into: three WDM images of {@link
 * BusStackDriver} installed as the services {@value #BUS}, {@value #FILTER} and {@value #FUNCTION};
 * the root device {@code ROOT\PNPBENCHBUS\0000} (service {@value #BUS}) installed through {@code
 * NtApi.installDevice} and started; and {@code DriverDatabase\DeviceIds\PnpBench\Child} naming
 * {@value #FUNCTION} as the children's function driver and {@value #FILTER} as their upper filter.
 * {@link #plug} and {@link #unplug} send the bus its IOCTL and wait until the PnP manager has
 * enumerated: a plugged child is then Started with the stack PDO ({@value #BUS}), FDO ({@value
 * #FUNCTION}), UpperFilter ({@value #FILTER}); an unplugged one is surprise-removed, removed and
 * gone from the tree, and at the last one {@value #FILTER} and {@value #FUNCTION} unload.
 *
 * <p>Every step's status is checked and a failure throws {@link IllegalStateException} naming it.
 * Not thread-safe: one benchmark thread drives one instance.
 */
public final class PnpBusRig implements AutoCloseable {

  public static final String BUS = "PnpBenchBus";
  public static final String FILTER = "PnpBenchFilter";
  public static final String FUNCTION = "PnpBenchFunction";
  public static final String BUS_DEVICE = "\\Device\\" + BUS;

  static final String DEVICE_IDS = "\\Registry\\Machine\\System\\DriverDatabase\\DeviceIds";

  private final BenchKernel bench;
  private final LocalNt admin;
  private final Handle busHandle;
  private final String busInstance;

  private PnpBusRig(BenchKernel bench) throws IOException {
    this.bench = bench;
    this.admin = LocalNt.administrator(bench.kernel(), "devcon", 1000);
    BenchKernel.check("NtAdjustPrivilegesToken(SeLoadDriverPrivilege)", admin.adjustPrivileges(
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());
    byte[] image = ImageJars.wdmBytes(BusStackDriver.class, BusStackDriver.Fdo.class, BusStackDriver.Child.class);
    for (String service : List.of(BUS, FILTER, FUNCTION)) {
      Files.createDirectories(bench.drivers());
      Files.write(bench.drivers().resolve(service + ".jar"), image);
      bench.installService(service, service + ".jar", BenchKernel.DEMAND_START);
    }
    setValue(BenchKernel.SERVICES + "\\" + BUS + "\\Parameters", RegValue.dword("Bus", 1));
    String entry = DEVICE_IDS + "\\" + BusStackDriver.CHILD_HARDWARE_ID;
    setValue(entry, RegValue.string("Service", FUNCTION));
    setValue(entry, RegValue.multiString("UpperFilters", List.of(FILTER)));
    DeviceInstallResult installed =
        admin.installDevice(new DeviceInstall("Root\\" + BUS, BUS, "", List.of(), List.of()));
    BenchKernel.check("installDevice(Root\\" + BUS + ")", installed.status());
    this.busInstance = installed.instancePath();
    this.busHandle = bench.open(BUS_DEVICE);
  }

  /** Boots a kernel on a new temporary state directory and builds the rig on it. */
  public static PnpBusRig boot() throws IOException {
    return BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, PnpBusRig::new);
  }

  /** Plugs child {@code serial} and waits until the PnP manager has enumerated it. */
  public void plug(int serial) {
    ioctl(BusStackDriver.IOCTL_PLUG, serial);
  }

  /** Unplugs child {@code serial} and waits until the PnP manager has removed it. */
  public void unplug(int serial) {
    ioctl(BusStackDriver.IOCTL_UNPLUG, serial);
  }

  /**
   * Plugs children {@code first} to {@code first + count - 1}, then waits once until the PnP
   * manager has enumerated them all (a benchmark's set-up: the enumerations queued meanwhile find
   * several new children at a time).
   */
  public void plugMany(int first, int count) {
    for (int serial = first; serial < first + count; serial++) {
      send(BusStackDriver.IOCTL_PLUG, serial);
    }
    bench.kernel().pnp().awaitIdle();
  }

  private void ioctl(int code, int serial) {
    send(code, serial);
    bench.kernel().pnp().awaitIdle();
  }

  private void send(int code, int serial) {
    byte[] input = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(serial).array();
    IoResult result = bench.nt().ntDeviceIoControlFile(bench.tool(), busHandle, code, input, 0);
    BenchKernel.check((code == BusStackDriver.IOCTL_PLUG ? "plug " : "unplug ") + serial, result.status());
  }

  /** The device tree through {@code NtApi.queryDeviceTree}, as {@code devcon tree} reads it. */
  public List<DevNodeInfo> tree() {
    return admin.queryDeviceTree().rows();
  }

  /** The instance path of child {@code serial}. */
  public static String childInstance(int serial) {
    return BusStackDriver.CHILD_DEVICE_ID + "\\" + serial;
  }

  /** The bus's instance path, {@code ROOT\PNPBENCHBUS\0000}. */
  public String busInstance() {
    return busInstance;
  }

  /** The benchmark kernel, for checks. */
  public BenchKernel bench() {
    return bench;
  }

  /** Whether {@code \Driver\<service>} exists. */
  public boolean driverLoaded(String service) {
    return bench.kernel().io().driver("\\Driver\\" + service).isPresent();
  }

  /** Writes a value, creating its key and every key above it that is missing. */
  private void setValue(String keyName, RegValue value) {
    String[] parts = keyName.substring(1).split("\\\\");
    StringBuilder path = new StringBuilder();
    Handle key = null;
    for (String part : parts) {
      path.append('\\').append(part);
      if (key != null) {
        admin.close(key);
      }
      KeyCreateResult created = admin.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(path.toString()), 0);
      BenchKernel.check("NtCreateKey(" + path + ")", created.status());
      key = created.handle();
    }
    try {
      BenchKernel.check("NtSetValueKey(" + keyName + "\\" + value.name() + ")",
          admin.setValueKey(key, UnicodeString.of(value.name()), value.type(), value.data()));
    } finally {
      admin.close(key);
    }
  }

  /** Closes the bus's handle and shuts the kernel down. */
  @Override
  public void close() throws IOException {
    NtStatus closed = bench.nt().ntClose(bench.tool(), busHandle);
    try {
      BenchKernel.check("NtClose(" + BUS_DEVICE + ")", closed);
    } finally {
      bench.close();
    }
  }
}
