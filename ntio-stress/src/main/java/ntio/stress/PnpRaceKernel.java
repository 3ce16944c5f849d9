package ntio.stress;

import static ntio.stress.KernelSetup.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.PnpVetoResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.executive.WorkQueueStats;
import ntio.kernel.executive.WorkQueueType;
import ntio.stress.pnp.PnpRaceDriver;

/**
 * The kernel the removal races of one JVM run on, and its pool of PnP driver services.
 *
 * <p>Each race gets a WDM service of its own — {@code PnpRace1}, {@code PnpRace2}, … — each with its
 * own copy of the image ({@code Pnp.jar}, {@link PnpRaceDriver}) and its own root device {@code
 * ROOT\PNPRACE<n>\0000} installed through {@code NtApi.installDevice}, so the device is its
 * driver's only one and the driver's PnP unload belongs to that race alone. A service whose race
 * ended clean (one REMOVE_DEVICE after the close, one DriverUnload, nothing left) goes back to the
 * pool; any other is left as it is, for the report.
 *
 * <p>Thread-safe: states are made, raced and judged on jcstress's threads. The static holder is
 * the harness's, as {@link RaceKernel}'s is (jcstress has no per-run set-up hook).
 */
final class PnpRaceKernel {

  /** How long a judge waits for the PnP manager and the delayed work queue to settle. */
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

  /** Where the build puts the driver image. */
  static final String IMAGE_RESOURCE = "/ntio/stress/Pnp.jar";

  static final String ENUM_ROOT = "\\Registry\\Machine\\System\\CurrentControlSet\\Enum\\Root\\";

  private static final long POLL_NANOS = 50_000;

  private static final class Holder {
    static final PnpRaceKernel INSTANCE = boot();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "ntio-stress pnp shutdown"));
    }
  }

  private final Path stateDirectory;
  private final Kernel kernel;
  private final LocalNt admin;
  private final byte[] image;
  private final ConcurrentLinkedQueue<String> free = new ConcurrentLinkedQueue<>();
  private final AtomicInteger installed = new AtomicInteger();

  private PnpRaceKernel(Path stateDirectory, byte[] image) {
    this.stateDirectory = stateDirectory;
    this.image = image;
    this.kernel = Kernel.boot(KernelConfig.of(stateDirectory));
    this.admin = LocalNt.administrator(kernel, "jcstress-pnp", 1000);
    check("NtAdjustPrivilegesToken(SeLoadDriverPrivilege)",
        admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());
  }

  /** The kernel of this JVM, booted on first use. */
  static PnpRaceKernel instance() {
    return Holder.INSTANCE;
  }

  /** Boots a new kernel on a new temporary state directory; {@link #close} ends it. */
  static PnpRaceKernel boot() {
    byte[] image = KernelSetup.readImage(IMAGE_RESOURCE);
    try {
      return new PnpRaceKernel(Files.createTempDirectory("ntio-stress-pnp-"), image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the PnP race kernel", e);
    }
  }

  /**
   * A started root device whose FDO is open through {@code handle}, its driver's only device.
   * Every method can be called from any thread.
   */
  record Race(PnpRaceKernel kernel, String service, String instancePath, Handle handle) {

    /** {@code NtClose} of the only handle to the device: whether it succeeded. */
    boolean closeDevice() {
      return kernel.admin.close(handle).equals(NtStatus.STATUS_SUCCESS);
    }

    /**
     * {@code NtApi.removeDevice}: 1 removed, 0 vetoed by the open handle ({@code
     * PNP_VetoOutstandingOpen}), 2 anything else.
     */
    int removeDevice() {
      PnpVetoResult result = kernel.admin.removeDevice(instancePath);
      if (result.status().equals(NtStatus.STATUS_SUCCESS)) {
        return 1;
      }
      return result.vetoed() && result.status().equals(NtStatus.STATUS_PLUGPLAY_QUERY_VETOED) ? 0 : 2;
    }

    /**
     * The root bus stops reporting the device (its instance key deleted, the root enumerated):
     * whether the key went.
     */
    boolean surpriseRemove() {
      boolean deleted = kernel.deleteKey(ENUM_ROOT + instanceKey() + "\\Control", true)
          & kernel.deleteKey(ENUM_ROOT + instanceKey(), false);
      kernel.kernel.pnp().enumerateRoot();
      return deleted;
    }

    private String instanceKey() {
      return instancePath.substring("ROOT\\".length());
    }

    /** Waits for the race's PnP actions and unloads to finish, then says what happened. */
    Verdict judge() {
      return kernel.judge(this);
    }
  }

  /**
   * What a race left behind.
   *
   * @param removes IRP_MN_REMOVE_DEVICEs the driver saw
   * @param removesWhileOpen of those, how many came with a handle still open
   * @param unloads DriverUnload calls
   * @param started the devnode is Started, its device opens and its driver is loaded
   * @param gone the devnode, the device object, the driver and its image are all gone
   */
  record Verdict(int removes, int removesWhileOpen, int unloads, boolean started, boolean gone) {}

  /**
   * Takes a service from the pool (installing a new one if none is free), installs its root
   * device (which the PnP manager brings up, loading the driver) and opens the FDO.
   *
   * @throws IllegalStateException naming the step and status if any fails
   */
  Race arm() {
    String service = free.poll();
    if (service == null) {
      service = "PnpRace" + installed.incrementAndGet();
      KernelSetup.installService(stateDirectory, kernel.services(), admin.thread(), service, image);
    }
    DeviceInstallResult device =
        admin.installDevice(new DeviceInstall("PnpRace\\" + service, service, "", List.of(), List.of()));
    check("installDevice(" + service + ")", device.status());
    OpenResult opened = admin.openFile(AccessMask.GENERIC_READ, ObjectAttributes.of("\\Device\\" + service),
        KernelSetup.SHARE_READ_WRITE, 0);
    check("NtCreateFile(\\Device\\" + service + ") of " + device.instancePath(), opened.status());
    return new Race(this, service, device.instancePath(), opened.handle());
  }

  private Verdict judge(Race race) {
    Verdict verdict = settle(race);
    if (verdict.started() && verdict.removes() == 0 && verdict.unloads() == 0) {
      // Vetoed: the handle is closed by now, so the device must remove cleanly for the pool.
      if (race.removeDevice() == 1) {
        Verdict after = settle(race);
        if (after.gone() && after.removes() == 1 && after.removesWhileOpen() == 0 && after.unloads() == 1) {
          recycle(race.service());
        }
      }
    } else if (verdict.gone() && verdict.removes() == 1 && verdict.removesWhileOpen() == 0
        && verdict.unloads() == 1) {
      recycle(race.service());
    }
    return verdict;
  }

  /** Waits for the PnP worker and the delayed work queue, then reads what the race left. */
  private Verdict settle(Race race) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    kernel.pnp().awaitIdle();
    awaitDelayedWork(deadline);
    kernel.pnp().awaitIdle();
    awaitDelayedWork(deadline);
    List<String[]> values = values(race.service());
    int removes = 0;
    int removesWhileOpen = 0;
    int unloads = 0;
    for (String[] value : values) {
      if (value[0].startsWith(PnpRaceDriver.REMOVE_VALUE_PREFIX)) {
        removes++;
        if (!value[1].equals("0")) {
          removesWhileOpen++;
        }
      } else if (value[0].startsWith(PnpRaceDriver.UNLOAD_VALUE_PREFIX)) {
        unloads++;
      }
    }
    DevNodeInfo node = admin.queryDeviceTree().rows().stream()
        .filter(n -> n.instancePath().equalsIgnoreCase(race.instancePath())).findFirst().orElse(null);
    // A removal's PnP unload runs on a work queue; a late one is waited for (bounded), a missing
    // one is seen as the driver still loaded.
    while (removes > 0 && driverPresent(race.service()) && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    boolean driver = driverPresent(race.service());
    OpenResult reopened = admin.openFile(AccessMask.GENERIC_READ,
        ObjectAttributes.of("\\Device\\" + race.service()), KernelSetup.SHARE_READ_WRITE, 0);
    boolean opens = reopened.status().isSuccess();
    if (opens) {
      admin.close(reopened.handle());
      kernel.pnp().awaitIdle();
    }
    boolean started = node != null && node.state().equals("DeviceNodeStarted") && opens && driver;
    boolean gone = node == null && !opens && !driver;
    return new Verdict(removes, removesWhileOpen, unloads, started, gone);
  }

  private boolean driverPresent(String service) {
    return kernel.io().driver("\\Driver\\" + service).isPresent()
        || kernel.io().loader().loadedImages().stream().anyMatch(i -> i.serviceName().equalsIgnoreCase(service));
  }

  private void awaitDelayedWork(long deadline) {
    WorkQueueStats before = kernel.workQueues().statistics(WorkQueueType.DELAYED);
    long queued = before.queued();
    while (kernel.workQueues().statistics(WorkQueueType.DELAYED).completed() < queued
        && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** The service goes back to the pool, the values its driver wrote deleted. */
  private void recycle(String service) {
    for (String[] value : values(service)) {
      OpenResult key = admin.openKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(KernelSetup.SERVICES + "\\" + service));
      check("NtOpenKey(" + service + ")", key.status());
      try {
        check("NtDeleteValueKey(" + value[0] + ")", admin.deleteValueKey(key.handle(), UnicodeString.of(value[0])));
      } finally {
        admin.close(key.handle());
      }
    }
    free.add(service);
  }

  /** The driver's event values under its service key: name and DWORD data as text. */
  private List<String[]> values(String service) {
    OpenResult key = admin.openKey(AccessMask.KEY_READ, ObjectAttributes.of(KernelSetup.SERVICES + "\\" + service));
    check("NtOpenKey(" + service + ")", key.status());
    try {
      List<String[]> found = new ArrayList<>();
      for (int index = 0; ; index++) {
        ValueResult value = admin.enumerateValueKey(key.handle(), index);
        if (value.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
          return found;
        }
        check("NtEnumerateValueKey(" + service + ", " + index + ")", value.status());
        String name = value.value().name();
        if (name.startsWith(PnpRaceDriver.REMOVE_VALUE_PREFIX) || name.startsWith(PnpRaceDriver.UNLOAD_VALUE_PREFIX)) {
          found.add(new String[] {name, Integer.toString(value.value().dwordValue().orElse(-1))});
        }
      }
    } finally {
      admin.close(key.handle());
    }
  }

  /** Deletes {@code path}; whether it went (or, when {@code mayBeAbsent}, was not there). */
  private boolean deleteKey(String path, boolean mayBeAbsent) {
    OpenResult key = admin.openKey(AccessMask.DELETE | AccessMask.KEY_READ, ObjectAttributes.of(path));
    if (!key.status().isSuccess()) {
      return mayBeAbsent && key.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    try {
      return admin.deleteKey(key.handle()).isSuccess();
    } finally {
      admin.close(key.handle());
    }
  }

  /** Shuts the kernel down and deletes its state directory. */
  void close() {
    kernel.shutdown();
    KernelSetup.deleteStateDirectory(stateDirectory);
  }
}
