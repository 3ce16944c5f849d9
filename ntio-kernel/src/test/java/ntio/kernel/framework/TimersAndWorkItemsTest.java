package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfObjectState;
import ntio.framework.WdfResult;
import ntio.framework.WdfTimer;
import ntio.framework.WdfTimerConfig;
import ntio.framework.WdfWorkItem;
import ntio.framework.WdfWorkItemConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timers and work items (O3, O16, L12, T17 b/c, V-KMDF-15) on the kernel's real timer thread and
 * System workers, under a control device of a builtin framework driver.
 */
@Timeout(60)
class TimersAndWorkItemsTest {

  @TempDir Path state;
  private FxLab lab;
  private Wdf wdf;
  private WdfDevice device;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
    FxLab.Bound bound = lab.builtin("FxTimers", (w, d, path) -> {
      NtStatus created = w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status();
      WdfDeviceInit init = w.controlDeviceInitAllocate(w.getDriver(), null);
      w.deviceInitAssignName(init, "\\Device\\FxTimers");
      device = w.deviceCreate(init, null).handle();
      return created;
    });
    wdf = bound.wdf();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(20, TimeUnit.SECONDS)).as("latch").isTrue();
  }

  private WdfObjectAttributes under(WdfObject parent, String name) {
    return WdfObjectAttributes.init().parentObject(parent)
        .cleanupCallback(o -> lab.event("cleanup(" + name + ")"))
        .destroyCallback(o -> lab.event("destroy(" + name + ")"));
  }

  @Test
  void T17b_aTimerWithoutAttributesOrParentIsParentNotSpecified() {
    WdfTimerConfig config = WdfTimerConfig.init(t -> { });

    assertThat(wdf.timerCreate(config, null).status()).isEqualTo(NtStatus.STATUS_WDF_PARENT_NOT_SPECIFIED);
    assertThat(wdf.timerCreate(config, WdfObjectAttributes.init()).status().code()).isEqualTo(0xC0200212);
    assertThat(wdf.workItemCreate(WdfWorkItemConfig.init(w -> { }), null).status())
        .isEqualTo(NtStatus.STATUS_WDF_PARENT_NOT_SPECIFIED);
  }

  @Test
  void T17c_aTimerParentedToTheDriverHasNoDeviceAncestorAndIsInvalidDeviceRequest() {
    WdfObjectAttributes onDriver = WdfObjectAttributes.init().parentObject(wdf.getDriver());

    assertThat(wdf.timerCreate(WdfTimerConfig.init(t -> { }), onDriver).status())
        .isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(wdf.workItemCreate(WdfWorkItemConfig.init(w -> { }), onDriver).status())
        .isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
  }

  @Test
  void O3_aTimerUnderAnObjectUnderTheDeviceIsAllowedAndReferencesItsParent() {
    WdfObject holder = wdf.objectCreate(WdfObjectAttributes.init().parentObject(device)).handle();

    WdfResult<WdfTimer> timer = wdf.timerCreate(WdfTimerConfig.init(t -> { }), under(holder, "T"));

    assertThat(timer.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(wdf.timerGetParentObject(timer.handle())).isSameAs(holder);
    assertThat(holder.referenceCount()).isEqualTo(2);
    wdf.objectDelete(timer.handle());
    assertThat(holder.referenceCount()).isEqualTo(1);
  }

  @Test
  void aStartedTimerCallsItsCallbackOnTheKernelsTimerThread() throws InterruptedException {
    CountDownLatch fired = new CountDownLatch(1);
    AtomicReference<WdfTimer> seen = new AtomicReference<>();
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.init(t -> {
      seen.set(t);
      fired.countDown();
    }), under(device, "T")).handle();

    assertThat(wdf.timerStart(timer, Duration.ofMillis(1))).isFalse();

    await(fired);
    assertThat(seen.get()).isSameAs(timer);
  }

  @Test
  void O16_deletingATimerWaitsForItsRunningCallbackAndNoCallbackRunsAfterCleanup() throws Exception {
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.periodic(t -> {
      if (calls.incrementAndGet() == 1) {
        inCallback.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      lab.event("callback");
    }, Duration.ofMillis(2)), under(device, "T")).handle();
    wdf.timerStart(timer, Duration.ofMillis(1));
    await(inCallback);

    Thread deleter = new Thread(() -> wdf.objectDelete(timer));
    deleter.start();
    Thread.sleep(100);
    assertThat(deleter.isAlive()).as("delete waits for the running callback").isTrue();
    assertThat(lab.events()).doesNotContain("cleanup(T)");
    release.countDown();
    deleter.join(20_000);

    assertThat(lab.events()).containsExactly("callback", "cleanup(T)", "destroy(T)");
    int after = calls.get();
    Thread.sleep(50);
    assertThat(calls.get()).isEqualTo(after);
    assertThat(timer.state()).isEqualTo(WdfObjectState.DESTROYED);
  }

  @Test
  void V_KMDF_15_deletingATimerFromItsOwnCallbackIsReportedAndDoesNotDeadlock() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    // A passive-level timer: its callback runs at PASSIVE_LEVEL, so the delete is not deferred
    // (O10) and its dispose waits on the callback's own thread, which KMDF reports. At DISPATCH_LEVEL
    // the dispose goes to a worker and waits for nothing (see the test below).
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.init(t -> {
      wdf.objectDelete(t);
      done.countDown();
    }), under(device, "T").executionLevel(WdfObjectAttributes.ExecutionLevel.PASSIVE)).handle();

    wdf.timerStart(timer, Duration.ofMillis(1));
    await(done);

    assertThat(lab.findings("FxTimers")).extracting(VerifierFinding::check).containsExactly("V-KMDF-15");
    assertThat(lab.findings("FxTimers").get(0).message()).contains("deadlock");
  }

  @Test
  void O10_deletingADispatchLevelTimerFromItsOwnCallbackIsDeferredToAWorkerAndFinishes() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.init(t -> {
      wdf.objectDelete(t);
      done.countDown();
    }), under(device, "T")).handle();

    wdf.timerStart(timer, Duration.ofMillis(1));
    await(done);

    for (int i = 0; i < 2_000 && timer.state() != WdfObjectState.DESTROYED; i++) {
      Thread.sleep(10);
    }
    assertThat(timer.state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(lab.events()).containsExactly("cleanup(T)", "destroy(T)");
    assertThat(lab.findings("FxTimers")).isEmpty();
  }

  @Test
  void O16_deletingTheDeviceStopsItsTimers() throws InterruptedException {
    CountDownLatch fired = new CountDownLatch(2);
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.periodic(t -> fired.countDown(), Duration.ofMillis(2)),
        under(device, "T")).handle();
    wdf.timerStart(timer, Duration.ofMillis(1));
    await(fired);

    wdf.objectDelete(device);

    assertThat(timer.state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(lab.events()).containsExactly("cleanup(T)", "destroy(T)");
  }

  @Test
  void aWorkItemRunsOnASystemWorkerAndAFlushWaitsForIt() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> thread = new AtomicReference<>();
    WdfWorkItem item = wdf.workItemCreate(WdfWorkItemConfig.init(w -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread.set(Thread.currentThread().getName());
      lab.event("work");
    }), under(device, "W")).handle();

    wdf.workItemEnqueue(item);
    Thread flusher = new Thread(() -> {
      wdf.workItemFlush(item);
      lab.event("flushed");
    });
    flusher.start();
    Thread.sleep(50);
    release.countDown();
    flusher.join(20_000);

    assertThat(lab.events()).containsExactly("work", "flushed");
    assertThat(thread.get()).isNotEqualTo(Thread.currentThread().getName());
    assertThat(wdf.workItemGetParentObject(item)).isSameAs(device);
  }

  @Test
  void L12_deletingAWorkItemWaitsForItsQueuedOrRunningCallback() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WdfWorkItem item = wdf.workItemCreate(WdfWorkItemConfig.init(w -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lab.event("work");
    }), under(device, "W")).handle();
    wdf.workItemEnqueue(item);
    await(running);

    Thread deleter = new Thread(() -> wdf.objectDelete(item));
    deleter.start();
    Thread.sleep(100);
    assertThat(deleter.isAlive()).isTrue();
    release.countDown();
    deleter.join(20_000);

    assertThat(lab.events()).containsExactly("work", "cleanup(W)", "destroy(W)");
  }

  @Test
  void V_KMDF_15_flushingAWorkItemFromItsOwnCallbackIsReported() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    WdfWorkItem item = wdf.workItemCreate(WdfWorkItemConfig.init(w -> {
      wdf.workItemFlush(w);
      done.countDown();
    }), under(device, "W")).handle();

    wdf.workItemEnqueue(item);
    await(done);

    assertThat(lab.findings("FxTimers")).extracting(VerifierFinding::check).containsExactly("V-KMDF-15");
  }

  @Test
  void O16_enqueueingAWorkItemWhoseDeletionStartedIsReportedAndIgnored() {
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<WdfWorkItem> self = new AtomicReference<>();
    WdfWorkItem item = wdf.workItemCreate(WdfWorkItemConfig.init(w -> runs.incrementAndGet()),
        WdfObjectAttributes.init().parentObject(device).cleanupCallback(o -> wdf.workItemEnqueue(self.get())))
        .handle();
    self.set(item);

    wdf.objectDelete(item);

    assertThat(lab.findings("FxTimers")).extracting(VerifierFinding::check).containsExactly("V-KMDF-WORKITEM");
    assertThat(runs.get()).isZero();
  }
}
