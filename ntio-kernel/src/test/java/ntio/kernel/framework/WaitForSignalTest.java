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
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfTimer;
import ntio.framework.WdfTimerConfig;
import ntio.framework.WdfVerifierSettings;
import ntio.framework.WdfWorkItem;
import ntio.framework.WdfWorkItemConfig;
import ntio.kernel.framework.disposetests.DisposeDriver;
import ntio.kernel.framework.disposetests.ObservedEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * V-KMDF-20 (S10 {@code FX_DRIVER_GLOBALS::WaitForSignal}): a framework wait — a work item flush,
 * a timer stop with wait, the tree's rundown at teardown — that lasts longer than {@code
 * DbgWaitForSignalTimeoutInSec} is reported at the wait itself, naming the wait and the object,
 * while it goes on waiting; it ends when what it waits for does. The timeout here is one second,
 * the smallest the value can say; each test waits about that long once.
 */
@Timeout(60)
class WaitForSignalTest {

  @TempDir Path state;
  private FxLab lab;
  private ExecutorService waiter;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
    waiter = Executors.newSingleThreadExecutor(r -> new Thread(r, "fx-waiter"));
  }

  @AfterEach
  void shutDown() {
    waiter.shutdownNow();
    lab.close();
  }

  private record Driver(Wdf wdf, WdfDevice device) {}

  /** A builtin framework driver with a control device, its verifier on with a 1 s wait timeout. */
  private Driver driverWithDevice(String service) {
    lab.kmdfVerifier(service, RegValue.dword("DbgWaitForSignalTimeoutInSec", 1));
    WdfDevice[] device = new WdfDevice[1];
    FxLab.Bound bound = lab.builtin(service, (w, d, path) -> {
      NtStatus created = w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status();
      WdfDeviceInit init = w.controlDeviceInitAllocate(w.getDriver(), null);
      w.deviceInitAssignName(init, "\\Device\\" + service);
      device[0] = w.deviceCreate(init, null).handle();
      return created;
    });
    assertThat(bound.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(bound.wdf().verifierSettings().waitTimeoutSeconds()).isEqualTo(1);
    return new Driver(bound.wdf(), device[0]);
  }

  /** Waits (at most 20 s) for the first V-KMDF-20 finding against {@code image}. */
  private VerifierFinding awaitWaitFinding(String image) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<VerifierFinding> found = lab.findings(image).stream()
          .filter(f -> f.check().equals("V-KMDF-20")).toList();
      if (!found.isEmpty()) {
        return found.get(0);
      }
      assertThat(System.nanoTime()).as("waiting for V-KMDF-20 against %s", image).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(20, TimeUnit.SECONDS)).as("latch").isTrue();
  }

  private static void block(CountDownLatch started, CountDownLatch release) {
    started.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void V_KMDF_20_aWorkItemFlushLongerThanTheTimeoutIsReportedAtTheFlushWhichWaitsOn() throws Exception {
    Driver driver = driverWithDevice("FxFlushWait");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WdfWorkItem item = driver.wdf().workItemCreate(WdfWorkItemConfig.init(w -> block(started, release)),
        WdfObjectAttributes.init().parentObject(driver.device())).handle();
    driver.wdf().workItemEnqueue(item);
    await(started);

    Future<?> flush = waiter.submit(() -> driver.wdf().workItemFlush(item));
    VerifierFinding finding = awaitWaitFinding("FxFlushWait");

    assertThat(flush.isDone()).as("the flush still waits after the report").isFalse();
    assertThat(finding.message()).contains("fx-waiter", "1 s", "DbgWaitForSignalTimeoutInSec", item.toString(),
        "WdfWorkItemFlush");
    release.countDown();
    flush.get(20, TimeUnit.SECONDS);
    assertThat(lab.bugChecks).isEmpty();
  }

  @Test
  void V_KMDF_20_aTimerStopWithWaitLongerThanTheTimeoutIsReportedAtTheStopWhichWaitsOn() throws Exception {
    Driver driver = driverWithDevice("FxStopWait");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WdfTimer timer = driver.wdf().timerCreate(WdfTimerConfig.init(t -> block(started, release)),
        WdfObjectAttributes.init().parentObject(driver.device())).handle();
    driver.wdf().timerStart(timer, Duration.ofMillis(1));
    await(started);

    Future<Boolean> stop = waiter.submit(() -> driver.wdf().timerStop(timer, true));
    VerifierFinding finding = awaitWaitFinding("FxStopWait");

    assertThat(stop.isDone()).as("the stop still waits after the report").isFalse();
    assertThat(finding.message()).contains("fx-waiter", timer.toString(), "WdfTimerStop with wait");
    release.countDown();
    assertThat(stop.get(20, TimeUnit.SECONDS)).as("the timer had fired: it was not in the queue").isFalse();
    assertThat(lab.bugChecks).isEmpty();
  }

  /**
   * Through a real image and NtUnloadDriver ({@link DisposeDriver}): a work item's callback is held
   * in a cleanup it runs; the unload's rundown of the WDFDRIVER's tree reaches the work item and
   * waits for it. That wait is reported, naming the work item being deleted, and the unload
   * finishes once the callback does.
   */
  @Test
  void V_KMDF_20_theTreesRundownAtUnloadWaitingLongerThanTheTimeoutIsReportedAndTheUnloadFinishes()
      throws Exception {
    lab.kmdfVerifier("FxRundownWait", RegValue.dword("DbgWaitForSignalTimeoutInSec", 1));
    lab.installImage("FxRundownWait", DisposeDriver.class, ObservedEvents.class);
    assertThat(lab.load("FxRundownWait")).isEqualTo(NtStatus.STATUS_SUCCESS);
    awaitEvent("FxRundownWait", "cleanup(C)");

    Future<NtStatus> unload = waiter.submit(() -> lab.unload("FxRundownWait"));
    VerifierFinding finding = awaitWaitFinding("FxRundownWait.jar");

    assertThat(unload.isDone()).as("the unload still waits after the report").isFalse();
    assertThat(finding.message()).contains("WDFWORKITEM 0x", "the work item is being deleted", "1 s");
    lab.setValue(FxLab.SERVICES + "FxRundownWait\\Parameters", RegValue.dword("Go", 1));
    assertThat(unload.get(30, TimeUnit.SECONDS)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.observedEvents("FxRundownWait")).contains("destroy(D)").doesNotContain("gave up waiting for Go");
    assertThat(lab.bugChecks).isEmpty();
  }

  @Test
  void V_KMDF_20_aWaitThatEndsBeforeTheTimeoutIsNotReported() throws Exception {
    Driver driver = driverWithDevice("FxShortWait");
    CountDownLatch ran = new CountDownLatch(1);
    WdfWorkItem item = driver.wdf().workItemCreate(WdfWorkItemConfig.init(w -> ran.countDown()),
        WdfObjectAttributes.init().parentObject(driver.device())).handle();
    driver.wdf().workItemEnqueue(item);

    driver.wdf().workItemFlush(item);

    await(ran);
    assertThat(lab.findings("FxShortWait")).isEmpty();
  }

  @Test
  void theTimeoutIsReadOnlyWithTheVerifierAndZeroMeansWaitingWithoutALimit() {
    lab.setValue(FxLab.SERVICES + "FxNoVerifier\\Parameters\\Wdf", RegValue.dword("DbgWaitForSignalTimeoutInSec", 1));
    lab.kmdfVerifier("FxNoLimit", RegValue.dword("DbgWaitForSignalTimeoutInSec", 0));

    WdfVerifierSettings off = settings("FxNoVerifier");
    WdfVerifierSettings noLimit = settings("FxNoLimit");

    assertThat(off.verifierOn()).isFalse();
    assertThat(off.waitTimeoutSeconds()).isEqualTo(WdfVerifierSettings.DEFAULT_WAIT_TIMEOUT_SECONDS).isEqualTo(60);
    assertThat(noLimit.waitTimeoutSeconds()).isZero();
  }

  private WdfVerifierSettings settings(String service) {
    return lab.builtin(service, (w, d, path) -> w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status())
        .wdf().verifierSettings();
  }

  private void awaitEvent(String service, String event) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!lab.observedEvents(service).contains(event)) {
      assertThat(System.nanoTime()).as("waiting for %s", event).isLessThan(deadline);
      Thread.sleep(2);
    }
  }
}
