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
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.executive.WorkQueueStats;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.stress.race.RaceDriver;

/**
 * The kernel every race of one JVM runs on, and the pool of driver services the races use.
 *
 * <p>A race needs a driver loaded and its device open before it starts, and jcstress makes many
 * states before it runs any of them, so each state gets a service of its own — {@code Race1},
 * {@code Race2}, … — each with its own image file (the loader refuses a second load of one image)
 * and its own device {@code \Device\RaceN}. A service whose race ended as it must (one DriverUnload,
 * driver and image gone) goes back to the pool; any other is left as it is, for the report.
 *
 * <p>Thread-safe: states are made, raced and judged on jcstress's threads.
 */
final class RaceKernel {

  /*
   * Implementation notes:
   *
   * jcstress makes each state with the test class's no-argument constructor and has no per-run
   * set-up hook, and it makes thousands of states. Booting a kernel per state would cost a hive,
   * a dozen threads and milliseconds each, and would race nothing shared. So the one kernel of
   * the JVM lives in a static final holder, booted on first use and shut down by a shutdown hook
   * (jcstress's forked VMs end with System.exit). It and EchoKernels' pool are the only static
   * state of this module; the rule against mutable statics is the kernel's, and these classes are
   * test harnesses around it.
   */

  /** How long a judge waits for a deferred unload to finish before calling it missing. */
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

  /** Where the build puts the driver image. */
  static final String IMAGE_RESOURCE = "/ntio/stress/Race.jar";

  private static final long POLL_NANOS = 50_000;

  private static final class Holder {
    static final RaceKernel INSTANCE = boot();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(INSTANCE::close, "ntio-stress shutdown"));
    }
  }

  private final Path stateDirectory;
  private final Kernel kernel;
  private final SystemServices nt;
  private final KThread tool;
  private final KThread otherClient;
  private final byte[] image;
  private final ConcurrentLinkedQueue<Service> free = new ConcurrentLinkedQueue<>();
  private final AtomicInteger installed = new AtomicInteger();

  private RaceKernel(Path stateDirectory, byte[] image) {
    this.stateDirectory = stateDirectory;
    this.image = image;
    this.kernel = Kernel.boot(KernelConfig.of(stateDirectory));
    this.nt = kernel.services();
    this.tool = kernel.administratorSession("jcstress", Sid.unixUser(1000));
    this.otherClient = kernel.administratorSession("jcstress-other", Sid.unixUser(1001));
    for (KThread client : List.of(tool, otherClient)) {
      check("NtAdjustPrivilegesToken(SeLoadDriverPrivilege)", nt.ntAdjustPrivilegesToken(client,
          List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status());
    }
  }

  /** The kernel of this JVM, booted on first use. */
  static RaceKernel instance() {
    return Holder.INSTANCE;
  }

  /** Boots a new kernel on a new temporary state directory; {@link #close} ends it. */
  static RaceKernel boot() {
    byte[] image = KernelSetup.readImage(IMAGE_RESOURCE);
    try {
      return new RaceKernel(Files.createTempDirectory("ntio-stress-"), image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the race kernel", e);
    }
  }

  /** One driver service of the pool: its names, fixed at installation. */
  record Service(String name, UnicodeString key, ObjectAttributes device) {}

  /**
   * A service with its driver loaded and its device open through {@code handle}, ready to race.
   * Every method can be called from any thread.
   */
  record Race(RaceKernel kernel, Service service, Handle handle) {

    /** {@code NtClose} of the only handle to the device: whether it succeeded. */
    boolean closeDevice() {
      return kernel.nt.ntClose(kernel.tool, handle).equals(NtStatus.STATUS_SUCCESS);
    }

    /** {@code NtUnloadDriver}: whether it succeeded (at once or deferred, both are success). */
    boolean unloadDriver() {
      return kernel.nt.ntUnloadDriver(kernel.tool, service.key()).equals(NtStatus.STATUS_SUCCESS);
    }

    /** Waits for the race's unload to finish, then says what happened. */
    Verdict judge() {
      return kernel.judge(service);
    }
  }

  /**
   * What a race left behind.
   *
   * @param unloads how many times DriverUnload ran for this load
   * @param gone whether the driver object and its image are both gone
   */
  record Verdict(int unloads, boolean gone) {}

  /**
   * Takes a service from the pool (installing a new one if none is free), loads its driver and
   * opens its device.
   *
   * @throws IllegalStateException naming the step and status if the load or the open fails
   */
  Race arm() {
    Service service = free.poll();
    if (service == null) {
      service = install(installed.incrementAndGet());
    }
    check("NtLoadDriver(" + service.name() + ")", nt.ntLoadDriver(tool, service.key()));
    OpenResult opened =
        nt.ntCreateFile(tool, AccessMask.GENERIC_READ, service.device(), KernelSetup.SHARE_READ_WRITE, 0);
    check("NtCreateFile(\\Device\\" + service.name() + ")", opened.status());
    return new Race(this, service, opened.handle());
  }

  /** The client that armed every race and holds its device open: the races' own client. */
  KThread client() {
    return tool;
  }

  /**
   * A second client process, with {@code SeLoadDriverPrivilege} enabled like {@link #client()}: the
   * one that races the races' own client in {@link ReloadRace}.
   */
  KThread otherClient() {
    return otherClient;
  }

  /** The system services of this kernel. */
  SystemServices nt() {
    return nt;
  }

  /**
   * Waits, until {@code deadline} (a {@link System#nanoTime} value) at most, until the delayed work
   * queue (where loads, unloads and deferred DriverUnloads run) has completed as many items as had
   * been queued when this was called.
   */
  void awaitDelayedWork(long deadline) {
    long queued = delayedQueue().queued();
    while (delayedQueue().completed() < queued && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Whether {@code \Driver\<service>} exists and its image is mapped: the driver is loaded. */
  boolean isLoaded(Service service) {
    String driverName = "\\Driver\\" + service.name();
    return kernel.io().drivers().stream().anyMatch(d -> d.name().equalsIgnoreCase(driverName))
        && kernel.io().loader().loadedImages().stream().anyMatch(i -> i.serviceName().equalsIgnoreCase(service.name()));
  }

  /**
   * Puts a service whose driver is gone back in the pool, its {@code DriverUnload<n>} values
   * deleted.
   */
  void recycle(Service service) {
    deleteValues(service, unloadValues(service));
    free.add(service);
  }

  /** Writes the image file and the service key of {@code Race<number>}. */
  private Service install(int number) {
    String name = "Race" + number;
    UnicodeString key = KernelSetup.installService(stateDirectory, nt, tool, name, image);
    return new Service(name, key, ObjectAttributes.of("\\Device\\" + name));
  }

  /**
   * Waits until the driver is gone or {@link #SETTLE_TIMEOUT} passes, then until the delayed work
   * queue has completed as many items as had been queued by then (a second, late DriverUnload is
   * queued there, so it would have run too; counting is enough because jcstress judges a batch
   * only after both actors finished it), then counts the DriverUnload calls the driver recorded. A
   * service that ended as it must is cleaned and goes back to the pool.
   */
  private Verdict judge(Service service) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (isPresent(service) && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    awaitDelayedWork(deadline);
    boolean gone = !isPresent(service);
    List<String> recorded = unloadValues(service);
    Verdict verdict = new Verdict(recorded.size(), gone);
    if (gone && recorded.size() == 1) {
      deleteValues(service, recorded);
      free.add(service);
    }
    return verdict;
  }

  private WorkQueueStats delayedQueue() {
    return kernel.workQueues().statistics(WorkQueueType.DELAYED);
  }

  /** Whether {@code \Driver\<service>} exists or its image is still mapped. */
  boolean isPresent(Service service) {
    String driverName = "\\Driver\\" + service.name();
    return kernel.io().drivers().stream().anyMatch(d -> d.name().equalsIgnoreCase(driverName))
        || kernel.io().loader().loadedImages().stream().anyMatch(i -> i.serviceName().equalsIgnoreCase(service.name()));
  }

  /** The names of the {@code DriverUnload<n>} values under the service key. */
  List<String> unloadValues(Service service) {
    OpenResult key = nt.ntOpenKey(tool, AccessMask.KEY_READ, ObjectAttributes.of(service.key().text()));
    check("NtOpenKey(" + service.name() + ")", key.status());
    try {
      List<String> names = new ArrayList<>();
      for (int index = 0; ; index++) {
        ValueResult value = nt.ntEnumerateValueKey(tool, key.handle(), index);
        if (value.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
          return names;
        }
        check("NtEnumerateValueKey(" + service.name() + ", " + index + ")", value.status());
        if (value.value().name().startsWith(RaceDriver.UNLOAD_VALUE_PREFIX)) {
          names.add(value.value().name());
        }
      }
    } finally {
      nt.ntClose(tool, key.handle());
    }
  }

  private void deleteValues(Service service, List<String> names) {
    OpenResult key = nt.ntOpenKey(tool, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(service.key().text()));
    check("NtOpenKey(" + service.name() + ")", key.status());
    try {
      for (String name : names) {
        check("NtDeleteValueKey(" + service.name() + "\\" + name + ")",
            nt.ntDeleteValueKey(tool, key.handle(), UnicodeString.of(name)));
      }
    } finally {
      nt.ntClose(tool, key.handle());
    }
  }

  /** Shuts the kernel down and deletes its state directory. */
  void close() {
    kernel.shutdown();
    KernelSetup.deleteStateDirectory(stateDirectory);
  }
}
