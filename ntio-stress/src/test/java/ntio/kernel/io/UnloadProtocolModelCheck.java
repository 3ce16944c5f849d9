package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import ntio.ddk.DriverFlags;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.security.LuidAllocator;
import ntio.kernel.security.Sddl;
import ntio.kernel.security.Tokens;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The unload protocol, model-checked: Lincheck's model checker generates concurrent scenarios of
 * the protocol's triggers and explores their interleavings against the real {@link UnloadPolicy},
 * the real driver and device objects and their {@link DriverState} and {@link DeviceState}
 * machines, checking the protocol's invariants in every one of them.
 *
 * <p>The world: a legacy driver with two devices, {@code dev0} (with a filter device of another
 * driver attached on top of it) and {@code dev1}. The operations, in any number, order and thread:
 * a client opens {@code dev0} and closes it; NtUnloadDriver (on the System worker holding the load
 * lock); the driver deletes {@code dev1}; the filter detaches from {@code dev0}; a reload contends
 * for the load lock. DriverUnload, run
 * where the policy decides, deletes the driver's remaining devices, as a legacy driver's must.
 *
 * <p>The invariants: DriverUnload runs at most once, never while one of the driver's devices is
 * open or has a device attached, and — once the unload was asked for and the filter detached, with
 * every client gone — exactly once; no open succeeds that began after NtUnloadDriver returned; the
 * image is unmapped (the driver object's delete procedure runs) exactly once, so a reload after
 * the unload completed finds it gone and succeeds; no state machine takes an illegal transition
 * (they throw). The operations return nothing: a client's open and close is one operation here,
 * so its statuses need not match any sequential order of whole operations; the invariants are what
 * is checked, and a violation is an exception no sequential run throws.
 *
 * <p>And the checker is shown to catch a broken policy: mutants of the "can this driver unload
 * now?" predicate that forget the open count or the attached device are each caught.
 */
public class UnloadProtocolModelCheck {

  /**
   * The predicate the next instance's policy uses: the real one, or a test's mutant. Static
   * because Lincheck creates the instances itself, on its own threads; the tests of this class run
   * one at a time and each puts the real predicate back.
   */
  private static volatile Predicate<KernelDriverObject> predicate = UnloadPolicy::canUnloadNowLocked;

  private final IoDatabase database = new IoDatabase();
  /** NtLoadDriver's and NtUnloadDriver's IopDriverLoadResource. */
  private final ReentrantLock loadLock = new ReentrantLock();
  private final UnloadPolicy policy;
  private final KernelDriverObject driver;
  private final KernelDeviceObject dev0;
  private final KernelDeviceObject dev1;
  private int driverUnloads;
  private int imageUnmaps;
  private String violation;
  private volatile boolean unloadRequested;
  private volatile boolean filterDetached;
  private volatile boolean imageMapped = true;
  /** Whether a reload mapped the image again after the old one was unmapped. */
  private volatile boolean reloaded;

  public UnloadProtocolModelCheck() {
    Tokens tokens = new Tokens(new LuidAllocator());
    ObjectManager objects = new ObjectManager(tokens.system(),
        Sddl.parse("D:P(A;;GA;;;SY)").descriptor().orElseThrow());
    ObjectType driverType = objects.createType(IoObjectTypes.fileLike("Driver")
        .onDelete(object -> driverDeleted((KernelDriverObject) object)));
    ObjectType deviceType = objects.createType(IoObjectTypes.fileLike("Device")
        .onDelete(object -> deviceDeleted((KernelDeviceObject) object)));
    policy = new UnloadPolicy(database, this::runUnload, predicate);
    driver = new KernelDriverObject(driverType, database, "\\Driver\\Model", "Model", null, null,
        DriverFlags.DRVO_LEGACY_DRIVER, null);
    dev1 = newDevice(deviceType, driver);
    dev0 = newDevice(deviceType, driver);
    KernelDriverObject filterDriver = new KernelDriverObject(driverType, database, "\\Driver\\Filter",
        "Filter", null, null, DriverFlags.DRVO_LEGACY_DRIVER, null);
    KernelDeviceObject filter = newDevice(deviceType, filterDriver);
    policy.entrySucceeded(driver, 1);
    policy.entrySucceeded(filterDriver, 2);
    synchronized (database) {
      dev0.setAttachedDeviceLocked(filter);
      filter.setAttachedToLocked(dev0);
    }
  }

  /** IoCreateDevice's linking: the keep-alive reference, the driver's reference, the list. */
  private KernelDeviceObject newDevice(ObjectType deviceType, KernelDriverObject owner) {
    KernelDeviceObject device = new KernelDeviceObject(deviceType, database, owner, null, 0, 0, 0, 0);
    device.markOwnerReference();
    owner.reference();
    synchronized (database) {
      device.setNextDeviceLocked(owner.firstDeviceLocked());
      owner.setFirstDeviceLocked(device);
      UnloadPolicy.linkedLocked(device);
    }
    return device;
  }

  // ---------------------------------------------------------------------------------------------
  // The operations

  /** A client: NtCreateFile on dev0 (the file object references the device), then NtClose. */
  @Operation
  public void openAndClose() {
    boolean askedBefore = unloadRequested;
    NtStatus opened = policy.referenceForOpen(dev0, false);
    if (!opened.isSuccess()) {
      return;
    }
    if (askedBefore) {
      violation("an open succeeded after NtUnloadDriver had returned");
    }
    dev0.reference();
    policy.releaseReference(dev0, "last close");
    dev0.dereference();
  }

  /**
   * NtUnloadDriver (B16, B19), on the System worker holding the load lock. (B17's refusal of a
   * driver without an image does not apply: the model's driver has none.)
   */
  @Operation
  public void ntUnloadDriver() {
    loadLock.lock();
    try {
      policy.requestUnload(driver);
      unloadRequested = true;
    } finally {
      loadLock.unlock();
    }
  }

  /** The driver deletes dev1 (IoDeleteDevice). */
  @Operation
  public void deleteDev1() {
    policy.deleteDevice(dev1);
  }

  /** The filter's driver detaches from dev0 (IoDetachDevice). */
  @Operation
  public void detachFilter() {
    policy.detach(dev0, () -> {
      KernelDeviceObject upper = dev0.attachedDeviceLocked();
      if (upper != null) {
        upper.setAttachedToLocked(null);
      }
      dev0.setAttachedDeviceLocked(null);
    });
    filterDetached = true;
  }

  /**
   * NtLoadDriver of the same service again, on the System worker holding the load lock, as a
   * deferred unload's run must take it too: it maps the image again once the old one is unmapped
   * ({@code STATUS_IMAGE_ALREADY_LOADED} before). In the model it contends for the load lock with
   * NtUnloadDriver and the deferred unload, so a lock-order mistake would show as a deadlock, which
   * the model checker reports.
   */
  @Operation
  public void reload() {
    loadLock.lock();
    try {
      if (!imageMapped) {
        reloaded = true;
      }
    } finally {
      loadLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the I/O manager does, modelled

  /** {@link UnloadPolicy.Actions#unload}: DriverUnload, then the load reference goes. */
  private void runUnload(KernelDriverObject unloading, boolean inline) {
    if (!inline) {
      loadLock.lock();
    }
    try {
      List<KernelDeviceObject> devices;
      synchronized (database) {
        devices = unloading.devicesLocked();
        for (KernelDeviceObject device : devices) {
          if (device.referenceCountLocked() > 0 || device.attachedDeviceLocked() != null) {
            violation("DriverUnload ran while " + (device == dev0 ? "dev0" : "dev1") + " had "
                + device.referenceCountLocked() + " opens and "
                + (device.attachedDeviceLocked() == null ? "no" : "a") + " device attached");
          }
        }
        driverUnloads++;
      }
      // DriverUnload: a legacy driver deletes its devices.
      devices.forEach(policy::deleteDevice);
      policy.unloadReturned(unloading);
      unloading.dereference(); // the load reference
    } finally {
      if (!inline) {
        loadLock.unlock();
      }
      unloading.dereference(); // the decision's reference
    }
  }

  private void driverDeleted(KernelDriverObject deleted) {
    policy.driverDeleted(deleted);
    if (deleted == driver) {
      synchronized (database) {
        if (!imageMapped) {
          violation("the image was unmapped twice");
        }
        imageMapped = false;
        imageUnmaps++;
      }
    }
  }

  private void deviceDeleted(KernelDeviceObject device) {
    boolean linked;
    synchronized (database) {
      linked = device.stateLocked().linked();
    }
    if (linked) {
      device.driver().dereference();
    }
  }

  private void violation(String what) {
    if (violation == null) {
      violation = what;
    }
    throw new IllegalStateException(what);
  }

  /**
   * After every scenario: at most once each; and exactly once, image gone, when the unload was
   * asked for and nothing holds the driver any more. Plain checks: inside the model checker
   * AssertJ's assertion objects are not usable (Lincheck compares them with {@code equals}).
   */
  @Validate
  public void invariants() {
    check(violation == null, String.valueOf(violation));
    check(driverUnloads <= 1, "DriverUnload ran " + driverUnloads + " times");
    check(imageUnmaps <= 1, "the image was unmapped " + imageUnmaps + " times");
    check(!reloaded || driver.state() == DriverState.DELETED,
        "a reload mapped the image again while the old driver object lived: " + driver.state());
    if (unloadRequested && filterDetached) {
      check(driverUnloads == 1, "the unload was asked for and nothing holds the driver, but DriverUnload ran "
          + driverUnloads + " times");
      check(!imageMapped, "the driver unloaded but its image is still mapped: a reload would fail");
      check(driver.state() == DriverState.DELETED, "the driver ended " + driver.state() + ", not DELETED");
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The checks

  /**
   * Scenarios explored: 15 generated scenarios of 3 threads with up to 3 operations each (and one
   * after), 200 interleavings each — about half a minute on 2 idle cores. {@code
   * -Dntio.modelcheck.iterations} and {@code -Dntio.modelcheck.invocations} (on the surefire JVM,
   * through {@code argLine}) explore more.
   */
  private static ModelCheckingOptions options() {
    return new ModelCheckingOptions()
        .iterations(Integer.getInteger("ntio.modelcheck.iterations", 15))
        .invocationsPerIteration(Integer.getInteger("ntio.modelcheck.invocations", 200))
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(0)
        .actorsAfter(1);
  }

  @Test
  void unloadProtocolKeepsItsInvariantsInEveryInterleaving() {
    options().check(UnloadProtocolModelCheck.class);
  }

  /** A mutant of "can this driver unload now?" that forgets the devices' open counts. */
  private static final Predicate<KernelDriverObject> FORGETS_OPENS = driver -> driver.devicesLocked()
      .stream().allMatch(d -> d.attachedDeviceLocked() == null && !d.stateLocked().deletePending());

  /** A mutant that forgets the devices attached on top. */
  private static final Predicate<KernelDriverObject> FORGETS_ATTACHED = driver -> driver.devicesLocked()
      .stream().allMatch(d -> d.referenceCountLocked() == 0 && !d.stateLocked().deletePending());

  @Test
  void aPolicyThatIgnoresOpensIsCaught() {
    assertMutantCaught(FORGETS_OPENS);
  }

  @Test
  void aPolicyThatIgnoresAttachedDevicesIsCaught() {
    assertMutantCaught(FORGETS_ATTACHED);
  }

  private static void assertMutantCaught(Predicate<KernelDriverObject> mutant) {
    predicate = mutant;
    try {
      assertThatThrownBy(() -> options().check(UnloadProtocolModelCheck.class))
          .hasStackTraceContaining("DriverUnload ran while");
    } finally {
      predicate = UnloadPolicy::canUnloadNowLocked;
    }
  }

  /**
   * The harness itself, without the model checker: the one order in which the open-forgetting
   * mutant unloads under an open handle is detected when run sequentially.
   */
  @Test
  void theHarnessDetectsAnUnloadUnderAnOpenHandle() {
    predicate = FORGETS_OPENS;
    try {
      UnloadProtocolModelCheck world = new UnloadProtocolModelCheck();
      world.detachFilter();
      assertThat(world.policy.referenceForOpen(world.dev0, false)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThatThrownBy(world::ntUnloadDriver).hasMessageContaining("DriverUnload ran while dev0 had 1 opens");
    } finally {
      predicate = UnloadPolicy::canUnloadNowLocked;
    }
  }
}
