package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfObjectState;
import ntio.framework.WdfTimerConfig;
import ntio.kernel.framework.disposetests.DeferredDisposeDriver;
import ntio.kernel.framework.disposetests.DisposeDriver;
import ntio.kernel.framework.disposetests.ObservedEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object-model rules O10 and O18 of the framework-and-verifier spec, on builtin framework drivers
 * with the kernel's real timer thread and System workers.
 *
 * <p>O10: a delete at DISPATCH_LEVEL of an object that must be disposed at PASSIVE_LEVEL goes to
 * the driver's dispose list and runs on a worker; the WDFDRIVER's teardown at unload waits for
 * the list to drain before the WDFDRIVER's own cleanup. The O10 tests also pin down that a delete
 * made on another thread (a timer's or a work item's callback) still disposes leaves first, and
 * that the unload waits for such a dispose in progress. (ExecutionLevelTest has the builtin-driver
 * cases of O10.)
 */
@Timeout(60)
class ObjectRulesTest {

  @TempDir Path state;
  private FxLab lab;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private WdfObjectAttributes under(WdfObject parent, String name) {
    return WdfObjectAttributes.init().parentObject(parent)
        .cleanupCallback(o -> lab.event("cleanup(" + name + ")"))
        .destroyCallback(o -> lab.event("destroy(" + name + ")"));
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(20, TimeUnit.SECONDS)).as("latch").isTrue();
  }

  /** A builtin driver with a WDFDRIVER cleanup, an EvtDriverUnload and a control device. */
  private record Driver(FxLab.Bound bound, WdfDevice device) {
    Wdf wdf() {
      return bound.wdf();
    }
  }

  private Driver driverWithDevice(String service) {
    AtomicReference<WdfDevice> device = new AtomicReference<>();
    FxLab.Bound bound = lab.builtin(service, (w, d, path) -> {
      NtStatus created = w.driverCreate(d, path,
          WdfObjectAttributes.init().cleanupCallback(o -> lab.event("cleanup(D)"))
              .destroyCallback(o -> lab.event("destroy(D)")),
          WdfDriverConfig.nonPnp().driverUnload(x -> lab.event("EvtDriverUnload"))).status();
      WdfDeviceInit init = w.controlDeviceInitAllocate(w.getDriver(), null);
      w.deviceInitAssignName(init, "\\Device\\" + service);
      device.set(w.deviceCreate(init, null).handle());
      w.controlFinishInitializing(device.get());
      return created;
    });
    assertThat(bound.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return new Driver(bound, device.get());
  }

  private List<String> events() {
    return lab.events();
  }

  // O10 -----------------------------------------------------------------------------------------------

  /**
   * Through a real image and NtUnloadDriver (see {@link DisposeDriver}): the work item's callback
   * deletes P on a System worker and is held inside C's cleanup; the unload that comes meanwhile
   * runs EvtDriverUnload, then the WDFDRIVER's teardown, which reaches the work item, flushes it
   * and so waits for the dispose in progress before any cleanup of the WDFDRIVER's own.
   */
  @Test
  void O10_aDeleteFromAWorkItemCallbackDisposesLeavesFirstAndTheDriversTeardownWaitsForIt() throws Exception {
    lab.installImage("FxO10", DisposeDriver.class, ObservedEvents.class);
    assertThat(lab.load("FxO10")).isEqualTo(NtStatus.STATUS_SUCCESS);
    awaitEvent("FxO10", "cleanup(C)");
    ExecutorService unloader = Executors.newSingleThreadExecutor();
    try {
      Future<NtStatus> unload = unloader.submit(() -> lab.unload("FxO10"));
      Thread.sleep(300);

      assertThat(unload.isDone()).as("the unload waits for the dispose in progress").isFalse();
      assertThat(lab.observedEvents("FxO10")).doesNotContain("cleanup(P)", "cleanup(D)", "destroy(D)");

      lab.setValue(FxLab.SERVICES + "FxO10\\Parameters", RegValue.dword("Go", 1));
      assertThat(unload.get(30, TimeUnit.SECONDS)).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      unloader.shutdownNow();
    }

    List<String> events = lab.observedEvents("FxO10");
    assertThat(events).contains("work item deletes P on a System worker").containsOnlyOnce("EvtDriverUnload");
    assertThat(events).containsSubsequence("cleanup(G)", "cleanup(C)", "cleanup(C) ends", "cleanup(P)",
        "work item returns", "cleanup(W)", "cleanup(Dev)", "cleanup(D)", "destroy(D)");
    assertThat(events).as("the subtree's cleanups before its destroys, leaves first")
        .containsSubsequence("cleanup(P)", "destroy(G)", "destroy(C)", "destroy(P)");
    assertThat(events.indexOf("cleanup(D)")).as("the WDFDRIVER's cleanup after the whole dispose of P")
        .isGreaterThan(events.indexOf("destroy(P)"));
    assertThat(events).doesNotContain("gave up waiting for Go");
    assertThat(lab.bugChecks).isEmpty();
  }

  /**
   * Through a real image ({@link DeferredDisposeDriver}): DriverEntry deletes a timer at
   * DISPATCH_LEVEL; its cleanup runs at PASSIVE_LEVEL on a worker and is held there; the unload
   * meanwhile waits in the WDFDRIVER's dispose (FxDriver::Dispose's WaitForEmpty) and the
   * WDFDRIVER's cleanup comes after the timer's whole dispose.
   */
  @Test
  void O10_aDeleteAtDispatchLevelIsDisposedAtPassiveLevelAndTheDriversCleanupWaitsForTheDisposeList()
      throws Exception {
    lab.installImage("FxO10D", DeferredDisposeDriver.class, ObservedEvents.class);
    assertThat(lab.load("FxO10D")).isEqualTo(NtStatus.STATUS_SUCCESS);
    awaitEvent("FxO10D", "cleanup(T) at PASSIVE_LEVEL");
    ExecutorService unloader = Executors.newSingleThreadExecutor();
    try {
      Future<NtStatus> unload = unloader.submit(() -> lab.unload("FxO10D"));
      Thread.sleep(300);

      assertThat(unload.isDone()).as("the unload waits for the dispose list").isFalse();
      assertThat(lab.observedEvents("FxO10D")).noneMatch(e -> e.startsWith("cleanup(D)"));

      lab.setValue(FxLab.SERVICES + "FxO10D\\Parameters", RegValue.dword("Go", 1));
      assertThat(unload.get(30, TimeUnit.SECONDS)).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      unloader.shutdownNow();
    }

    List<String> events = lab.observedEvents("FxO10D");
    // DriverEntry records its line after lowering, so the worker's first line may come before it.
    assertThat(events).contains("T deleted at DISPATCH_LEVEL, its cleanup deferred");
    assertThat(events).containsSubsequence("cleanup(T) at PASSIVE_LEVEL", "EvtDriverUnload", "cleanup(T) ends", "destroy(T) at PASSIVE_LEVEL",
        "cleanup(D) at PASSIVE_LEVEL");
    assertThat(events).doesNotContain("gave up waiting for Go");
    assertThat(lab.bugChecks).isEmpty();
  }

  private void awaitEvent(String service, String event) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!lab.observedEvents(service).contains(event)) {
      assertThat(System.nanoTime()).as("waiting for %s", event).isLessThan(deadline);
      Thread.sleep(2);
    }
  }

  @Test
  void O10_aDeleteFromATimerCallbackOnTheTimerThreadDisposesChildrenBeforeTheObject() throws Exception {
    Driver driver = driverWithDevice("FxO10Timer");
    Wdf wdf = driver.wdf();
    WdfObject p = wdf.objectCreate(under(driver.device(), "P")).handle();
    WdfObject c = wdf.objectCreate(under(p, "C")).handle();
    wdf.objectCreate(under(c, "G"));
    wdf.objectCreate(under(p, "C2"));
    CountDownLatch fired = new CountDownLatch(1);
    AtomicReference<String> callbackThread = new AtomicReference<>();
    var timer = wdf.timerCreate(WdfTimerConfig.init(t -> {
      callbackThread.set(Thread.currentThread().getName());
      wdf.objectDelete(p);
      lab.event("timer returned");
      fired.countDown();
    }), under(driver.device(), "T")).handle();

    wdf.timerStart(timer, Duration.ofMillis(1));
    await(fired);

    assertThat(callbackThread.get()).isNotEqualTo(Thread.currentThread().getName());
    List<String> events = events();
    assertThat(events).containsSubsequence("cleanup(G)", "cleanup(C)", "cleanup(P)", "timer returned");
    assertThat(events.indexOf("cleanup(C2)")).isLessThan(events.indexOf("cleanup(P)"));
    int lastCleanup = events.indexOf("cleanup(P)");
    for (String destroy : List.of("destroy(G)", "destroy(C)", "destroy(C2)", "destroy(P)")) {
      assertThat(events.indexOf(destroy)).as(destroy).isGreaterThan(lastCleanup);
    }
    assertThat(events).containsSubsequence("destroy(G)", "destroy(C)", "destroy(P)");
    assertThat(lab.bugChecks).isEmpty();
  }

  // O18 -----------------------------------------------------------------------------------------------

  /** A builtin framework driver of {@code service} with {@code Parameters\Wdf} as given. */
  private Wdf driver(String service, RegValue... wdfValues) {
    for (RegValue value : wdfValues) {
      lab.setValue(FxLab.SERVICES + service + "\\Parameters\\Wdf", value);
    }
    return lab.nonPnpDriver(service);
  }

  /** A generic object referenced with "mine", then released with "theirs", which was never taken. */
  private static void mismatchedRelease(Wdf wdf) {
    WdfObject o = wdf.objectCreate(null).handle();
    wdf.objectReferenceWithTag(o, "mine");
    wdf.objectDereferenceWithTag(o, "theirs");
  }

  @Test
  void O18_tagTrackingIsOnOnlyWithTheVerifierOnAndTheTypeListedInTrackHandles() {
    RegValue on = RegValue.dword("VerifierOn", 1);
    RegValue off = RegValue.dword("VerifierOn", 0);
    mismatchedRelease(driver("FxO18None", on));
    mismatchedRelease(driver("FxO18Other", on, RegValue.multiString("TrackHandles", List.of("WDFMEMORY"))));
    mismatchedRelease(driver("FxO18Off", off, RegValue.multiString("TrackHandles", List.of("*"))));
    mismatchedRelease(driver("FxO18Listed", on, RegValue.multiString("TrackHandles", List.of("WDFOBJECT"))));
    mismatchedRelease(driver("FxO18Star", on, RegValue.multiString("TrackHandles", List.of("*"))));

    assertThat(lab.findings("FxO18None")).as("no TrackHandles").isEmpty();
    assertThat(lab.findings("FxO18Other")).as("another type listed").isEmpty();
    assertThat(lab.findings("FxO18Off")).as("verifier off, every type listed").isEmpty();
    assertThat(lab.findings("FxO18Listed")).extracting(VerifierFinding::check).containsExactly("V-KMDF-06");
    assertThat(lab.findings("FxO18Star")).extracting(VerifierFinding::check).containsExactly("V-KMDF-06");
    assertThat(lab.findings("FxO18Listed").get(0).message()).contains("'theirs'", "not acquired");
  }

  @Test
  void O18_trackedReferencesCarryTheirTagsAndAReleaseTakesTheMostRecentBlockWithItsTag() {
    Wdf wdf = driver("FxO18Tags", RegValue.dword("VerifierOn", 1),
        RegValue.multiString("TrackHandles", List.of("WDFOBJECT")));
    WdfObject o = wdf.objectCreate(null).handle();
    Object first = "first";
    wdf.objectReferenceWithTag(o, first);
    wdf.objectReferenceWithTag(o, "second");
    wdf.objectReferenceWithTag(o, first);
    assertThat(o.referenceCount()).isEqualTo(4);

    // Matching releases: no finding.
    wdf.objectDereferenceWithTag(o, "first");
    wdf.objectDereferenceWithTag(o, first);
    assertThat(lab.findings("FxO18Tags")).isEmpty();
    // The creation reference (tag NULL) goes with the delete; "second" is still held, so the object
    // lives, and its last reference is dropped under a tag that was never taken.
    wdf.objectDelete(o);
    assertThat(o.state()).isNotEqualTo(WdfObjectState.DESTROYED);
    wdf.objectDereferenceWithTag(o, "third");

    assertThat(o.state()).isEqualTo(WdfObjectState.DESTROYED);
    List<VerifierFinding> findings = lab.findings("FxO18Tags");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-KMDF-06", "V-KMDF-07");
    assertThat(findings.get(0).message()).contains("'third'", "not acquired", "ObjectRulesTest");
    assertThat(findings.get(1).message()).contains("Abandoned", "'second'", "ObjectRulesTest")
        .doesNotContain("'first'", "NULL");
  }
}
