package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.BuiltRequest;
import ntio.ddk.Handle;
import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfIoQueue;
import ntio.framework.WdfIoQueueConfig;
import ntio.framework.WdfIoQueueConfig.DispatchType;
import ntio.framework.WdfMemory;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfObjectAttributes.ExecutionLevel;
import ntio.framework.WdfObjectAttributes.SynchronizationScope;
import ntio.framework.WdfObjectState;
import ntio.framework.WdfResult;
import ntio.framework.WdfTimer;
import ntio.framework.WdfTimerConfig;
import ntio.framework.WdfWaitLock;
import ntio.framework.WdfWorkItem;
import ntio.framework.WdfWorkItemConfig;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The framework's execution model on a booted kernel: execution level and synchronization scope
 * resolved up the parent chain, queue callbacks serialized under the scope's lock and run at the
 * level's IRQL, automatic serialization of work items, O10's deferred dispose, and the framework
 * verifier's IRQL findings (V-KMDF-10, V-KMDF-12, V-KMDF-17). Each test boots a builtin framework
 * driver with a control device {@code \Device\FxLevels}; requests are real IRPs, from clients
 * through the system services or built and sent by the test at a raised IRQL.
 */
@Timeout(60)
class ExecutionLevelTest {

  private static final String SERVICE = "FxLevels";
  private static final String DEVICE = "\\Device\\FxLevels";
  private static final int IOCTL = 0x222004;

  /** A kernel per test: JUnit makes an instance per test, with its own temporary state directory. */
  private final FxLab lab;
  private Wdf wdf;
  private KernelServices services;
  private WdfDevice device;

  ExecutionLevelTest(@TempDir Path state) {
    this.lab = new FxLab(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  /** Boots the builtin driver with these WDFDRIVER and WDFDEVICE attributes (null: none). */
  private void driver(WdfObjectAttributes driverAttributes, WdfObjectAttributes deviceAttributes) {
    FxLab.Bound bound = lab.builtin(SERVICE, (w, d, path) -> {
      NtStatus created = w.driverCreate(d, path, driverAttributes, WdfDriverConfig.nonPnp()).status();
      WdfDeviceInit init = w.controlDeviceInitAllocate(w.getDriver(), null);
      w.deviceInitAssignName(init, DEVICE);
      device = w.deviceCreate(init, deviceAttributes).handle();
      w.controlFinishInitializing(device);
      return created;
    });
    assertThat(bound.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    wdf = bound.wdf();
    services = bound.driver().services();
  }

  private static WdfObjectAttributes level(ExecutionLevel level, SynchronizationScope scope) {
    return WdfObjectAttributes.init().executionLevel(level).synchronizationScope(scope);
  }

  private WdfIoQueue queue(WdfIoQueueConfig config, WdfObjectAttributes attributes) {
    WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device, config, attributes);
    assertThat(queue.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return queue.handle();
  }

  private Handle open() {
    OpenResult opened = lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of(DEVICE), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  /** Sends a device control to the device from this thread at {@code irql}; back at PASSIVE_LEVEL after the send. */
  private BuiltRequest sendAt(Irql irql) {
    BuiltRequest request = services.buildDeviceIoControlRequest(IOCTL, device.wdmDevice(), new byte[0], 0, false);
    Irql old = irql == Irql.PASSIVE_LEVEL ? null : services.raiseIrql(irql);
    try {
      services.callDriver(device.wdmDevice(), request.irp());
    } finally {
      if (old != null) {
        services.lowerIrql(old);
      }
    }
    return request;
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(20, TimeUnit.SECONDS)).as("latch").isTrue();
  }

  // Resolution ------------------------------------------------------------------------------------

  @Test
  void resolution_theDriverIsDispatchAndNoneByDefaultAndEachInheritedValueComesFromTheParent() {
    driver(null, WdfObjectAttributes.init().synchronizationScope(SynchronizationScope.QUEUE));

    WdfIoQueue inherits = queue(WdfIoQueueConfig.init(DispatchType.MANUAL), null);
    WdfIoQueue passive = queue(WdfIoQueueConfig.init(DispatchType.MANUAL),
        WdfObjectAttributes.init().executionLevel(ExecutionLevel.PASSIVE));

    assertThat(wdf.getDriver().executionLevel()).isEqualTo(ExecutionLevel.DISPATCH);
    assertThat(wdf.getDriver().synchronizationScope()).isEqualTo(SynchronizationScope.NONE);
    assertThat(device.executionLevel()).isEqualTo(ExecutionLevel.DISPATCH);
    assertThat(device.synchronizationScope()).isEqualTo(SynchronizationScope.QUEUE);
    assertThat(inherits.executionLevel()).isEqualTo(ExecutionLevel.DISPATCH);
    assertThat(inherits.synchronizationScope()).isEqualTo(SynchronizationScope.QUEUE);
    assertThat(passive.executionLevel()).isEqualTo(ExecutionLevel.PASSIVE);
    assertThat(passive.synchronizationScope()).isEqualTo(SynchronizationScope.QUEUE);
  }

  @Test
  void resolution_theDriversOwnAttributesBecomeTheDefaultOfItsDevices() {
    driver(level(ExecutionLevel.PASSIVE, SynchronizationScope.DEVICE), null);

    assertThat(device.executionLevel()).isEqualTo(ExecutionLevel.PASSIVE);
    assertThat(device.synchronizationScope()).isEqualTo(SynchronizationScope.DEVICE);
  }

  @Test
  void deviceScope_aQueueWhoseLevelDiffersFromItsDevicesIsInvalidParameter() {
    driver(null, WdfObjectAttributes.init().synchronizationScope(SynchronizationScope.DEVICE));

    WdfResult<WdfIoQueue> queue = wdf.ioQueueCreate(device, WdfIoQueueConfig.init(DispatchType.MANUAL),
        WdfObjectAttributes.init().executionLevel(ExecutionLevel.PASSIVE));

    assertThat(queue.status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  // Serialization ---------------------------------------------------------------------------------

  /**
   * Several clients at once against a Passive / Device driver: the default queue answers writes
   * and forwards reads to a second queue, whose callback completes them. Under Device scope no two
   * callbacks of the device's queues ever run at the same time, the forwarded ones included (they
   * are presented from a work item, since the forwarding thread holds the device's lock), and a
   * passive lock keeps them at PASSIVE_LEVEL.
   */
  @Test
  void deviceScope_twoQueueCallbacksOfTheDevicesQueuesNeverOverlap() throws Exception {
    assertThat(callbacksUnderDeviceScope(ExecutionLevel.PASSIVE)).containsOnly(Irql.PASSIVE_LEVEL);
  }

  /**
   * The same at level Dispatch: the device's callback lock is a spin lock, so every callback runs
   * at DISPATCH_LEVEL holding it, and still none overlaps another.
   */
  @Test
  void dispatchLevel_deviceScopeCallbacksRunAtDispatchLevelUnderTheDevicesSpinLockAndNeverOverlap()
      throws Exception {
    assertThat(callbacksUnderDeviceScope(ExecutionLevel.DISPATCH)).containsOnly(Irql.DISPATCH_LEVEL);
  }

  /** Runs the Device-scope scenario at {@code level}; asserts no overlap; the IRQLs the callbacks saw. */
  private java.util.Set<Irql> callbacksUnderDeviceScope(ExecutionLevel level) throws Exception {
    driver(level(level, SynchronizationScope.DEVICE), null);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    java.util.Set<Irql> irqls = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Runnable enter = () -> {
      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
      calls.incrementAndGet();
      irqls.add(services.getCurrentIrql());
      spin(Duration.ofMillis(1));
      inside.decrementAndGet();
    };
    WdfIoQueue reads = queue(WdfIoQueueConfig.init(DispatchType.PARALLEL).read((q, r, length) -> {
      enter.run();
      wdf.requestCompleteWithInformation(r, NtStatus.STATUS_SUCCESS, 1);
    }), null);
    queue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL)
        .write((q, r, length) -> {
          enter.run();
          wdf.requestCompleteWithInformation(r, NtStatus.STATUS_SUCCESS, length);
        })
        .read((q, r, length) -> {
          enter.run();
          if (!wdf.requestForwardToIoQueue(r, reads).isSuccess()) {
            wdf.requestComplete(r, NtStatus.STATUS_UNSUCCESSFUL);
          }
        }), null);
    Handle handle = open();
    int clients = 4;
    int each = 12;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<IoResult>>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(pool.submit(() -> {
          List<IoResult> mine = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            mine.add(i % 2 == 0 ? lab.nt.ntReadFile(lab.admin, handle, 4, 0)
                : lab.nt.ntWriteFile(lab.admin, handle, new byte[3], 0));
          }
          return mine;
        }));
      }
      for (Future<List<IoResult>> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).extracting(IoResult::status)
            .containsOnly(NtStatus.STATUS_SUCCESS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(calls.get()).as("a callback per write, two per read").isEqualTo(clients * each * 3 / 2);
    assertThat(most.get()).as("callbacks inside at once").isEqualTo(1);
    assertThat(lab.bugChecks).isEmpty();
    return irqls;
  }

  /** Scope None (the default): two clients' callbacks are inside at once, each waiting for the other. */
  @Test
  void noneScope_queueCallbacksRunConcurrently() throws Exception {
    driver(null, null);
    CountDownLatch both = new CountDownLatch(2);
    queue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).write((q, r, length) -> {
      both.countDown();
      boolean met = awaitQuietly(both);
      wdf.requestCompleteWithInformation(r, met ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_TIMEOUT, length);
    }), null);
    Handle handle = open();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<IoResult> one = pool.submit(() -> lab.nt.ntWriteFile(lab.admin, handle, new byte[1], 0));
      Future<IoResult> two = pool.submit(() -> lab.nt.ntWriteFile(lab.admin, handle, new byte[2], 0));

      assertThat(one.get(30, TimeUnit.SECONDS).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(two.get(30, TimeUnit.SECONDS).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A work item with automatic serialization under a Passive / Device device runs under the
   * device's callback lock: while the driver holds it (WdfObjectAcquireLock) the item waits.
   */
  @Test
  void deviceScope_aWorkItemWithAutomaticSerializationWaitsForTheDevicesPassiveLock() throws Exception {
    driver(level(ExecutionLevel.PASSIVE, SynchronizationScope.DEVICE), null);
    CountDownLatch ran = new CountDownLatch(1);
    WdfWorkItem item = wdf.workItemCreate(WdfWorkItemConfig.init(w -> ran.countDown()),
        WdfObjectAttributes.init().parentObject(device)).handle();

    wdf.locks().objectAcquireLock(device);
    wdf.workItemEnqueue(item);
    boolean early = ran.await(300, TimeUnit.MILLISECONDS);
    wdf.locks().objectReleaseLock(device);

    assertThat(early).as("the item ran while the driver held the device's lock").isFalse();
    await(ran);
  }

  /**
   * A work item asks for passive callbacks; under a Dispatch-level device with Device scope the
   * effective lock is a spin lock: {@code STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL}, with a DbgBreak
   * ({@code FxObject::_GetEffectiveLock}). Without automatic serialization it is created.
   */
  @Test
  void automaticSerialization_aWorkItemUnderADispatchLevelDeviceLockIsIncompatibleExecutionLevel() {
    driver(null, WdfObjectAttributes.init().synchronizationScope(SynchronizationScope.DEVICE));
    WdfObjectAttributes underDevice = WdfObjectAttributes.init().parentObject(device);

    WdfResult<WdfWorkItem> serialized = wdf.workItemCreate(WdfWorkItemConfig.init(w -> { }), underDevice);
    WdfResult<WdfWorkItem> free = wdf.workItemCreate(WdfWorkItemConfig.init(w -> { })
        .automaticSerialization(false), WdfObjectAttributes.init().parentObject(device));

    assertThat(serialized.status()).isEqualTo(NtStatus.STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL);
    assertThat(serialized.status().code()).isEqualTo(0xC020020C);
    assertThat(free.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.checks()).contains("V-KMDF-LEVEL");
  }

  // Execution level -------------------------------------------------------------------------------

  /**
   * A Passive queue's request that arrives at DISPATCH_LEVEL is handed to a work item: its callback
   * runs at PASSIVE_LEVEL on another thread, as {@code FxIoQueue} defers to its system work item.
   */
  @Test
  void passiveQueue_aRequestArrivingAtDispatchLevelIsPresentedAtPassiveLevelOnAWorker() throws Exception {
    Presented presented = presentAtDispatch(WdfObjectAttributes.init().executionLevel(ExecutionLevel.PASSIVE));

    assertThat(presented.irql()).isEqualTo(Irql.PASSIVE_LEVEL);
    assertThat(presented.thread()).isNotSameAs(Thread.currentThread());
    assertThat(services.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  /** A Dispatch-level queue without serialization presents a request at the IRQL it arrived at, there and then. */
  @Test
  void dispatchQueue_aRequestArrivingAtDispatchLevelIsPresentedOnTheArrivingThread() throws Exception {
    Presented presented = presentAtDispatch(null);

    assertThat(presented.irql()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(presented.thread()).isSameAs(Thread.currentThread());
  }

  /** Where and at what IRQL a queue's callback ran. */
  private record Presented(Irql irql, Thread thread) {}

  /** Boots the driver, a default queue with these attributes, and sends it a device control at DISPATCH_LEVEL. */
  private Presented presentAtDispatch(WdfObjectAttributes queueAttributes) throws Exception {
    driver(null, null);
    AtomicReference<Presented> seen = new AtomicReference<>();
    queue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).deviceControl((q, r, out, in, code) -> {
      seen.set(new Presented(services.getCurrentIrql(), Thread.currentThread()));
      wdf.requestComplete(r, NtStatus.STATUS_SUCCESS);
    }), queueAttributes);

    BuiltRequest request = sendAt(Irql.DISPATCH_LEVEL);

    assertThat(request.await()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return seen.get();
  }

  @Test
  void passiveTimer_itsCallbackRunsAtPassiveLevel() throws Exception {
    driver(null, null);
    AtomicReference<Irql> seen = new AtomicReference<>();
    CountDownLatch fired = new CountDownLatch(1);
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.init(t -> {
      seen.set(services.getCurrentIrql());
      fired.countDown();
    }), WdfObjectAttributes.init().parentObject(device).executionLevel(ExecutionLevel.PASSIVE)).handle();

    wdf.timerStart(timer, Duration.ofMillis(1));

    await(fired);
    assertThat(seen.get()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  // O10 -------------------------------------------------------------------------------------------

  /**
   * A WDFTIMER must be disposed at PASSIVE_LEVEL: WdfObjectDelete at DISPATCH_LEVEL returns at
   * once with the timer out of the tree, and its cleanup runs later at PASSIVE_LEVEL on a worker.
   */
  @Test
  void O10_aTimerDeletedAtDispatchLevelIsDisposedAtPassiveLevelOnAWorker() throws Exception {
    driver(null, null);
    AtomicReference<Irql> cleanupIrql = new AtomicReference<>();
    AtomicReference<Thread> cleanupThread = new AtomicReference<>();
    CountDownLatch cleaned = new CountDownLatch(1);
    WdfTimer timer = wdf.timerCreate(WdfTimerConfig.init(t -> { }), WdfObjectAttributes.init()
        .parentObject(device)
        .cleanupCallback(o -> {
          cleanupIrql.set(services.getCurrentIrql());
          cleanupThread.set(Thread.currentThread());
          cleaned.countDown();
        })).handle();

    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    wdf.objectDelete(timer);
    List<WdfObject> children = device.children();
    services.lowerIrql(old);

    assertThat(children).doesNotContain(timer);
    await(cleaned);
    assertThat(cleanupIrql.get()).isEqualTo(Irql.PASSIVE_LEVEL);
    assertThat(cleanupThread.get()).isNotSameAs(Thread.currentThread());
    assertThat(timer.stateHistory()).containsSubsequence(WdfObjectState.CREATED,
        WdfObjectState.DEFERRED_DELETING, WdfObjectState.DELETED_DISPOSING, WdfObjectState.DELETED_AND_DISPOSED);
  }

  /** A subtree with nothing that needs PASSIVE_LEVEL is deleted at DISPATCH_LEVEL there and then. */
  @Test
  void O10_aSubtreeNeedingNoPassiveDisposeIsDeletedAtDispatchLevelOnTheCallingThread() {
    driver(null, null);
    AtomicReference<Irql> cleanupIrql = new AtomicReference<>();
    WdfObject object = wdf.objectCreate(WdfObjectAttributes.init().parentObject(device)
        .cleanupCallback(o -> cleanupIrql.set(services.getCurrentIrql()))).handle();

    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    wdf.objectDelete(object);
    services.lowerIrql(old);

    assertThat(cleanupIrql.get()).isEqualTo(Irql.DISPATCH_LEVEL);
    assertThat(object.stateHistory()).doesNotContain(WdfObjectState.DEFERRED_DELETING);
  }

  /**
   * A generic object with a timer below it is deferred whole: the timer's cleanup, then the
   * object's, both at PASSIVE_LEVEL, leaves first (O9 kept).
   */
  @Test
  void O10_aSubtreeHoldingATimerIsDeferredWholeAndStillDisposesLeavesFirst() throws Exception {
    driver(null, null);
    List<String> cleanups = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);
    WdfObject holder = wdf.objectCreate(WdfObjectAttributes.init().parentObject(device).cleanupCallback(o -> {
      cleanups.add("holder at " + services.getCurrentIrql());
      done.countDown();
    })).handle();
    wdf.timerCreate(WdfTimerConfig.init(t -> { }), WdfObjectAttributes.init().parentObject(holder).cleanupCallback(o -> {
      cleanups.add("timer at " + services.getCurrentIrql());
      done.countDown();
    }));

    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    wdf.objectDelete(holder);
    services.lowerIrql(old);

    await(done);
    assertThat(cleanups).containsExactly("timer at PASSIVE_LEVEL", "holder at PASSIVE_LEVEL");
  }

  // V-KMDF-10 -------------------------------------------------------------------------------------

  @Test
  void V_KMDF_10_aWaitLockAcquireWithATimeoutAtDispatchLevelIsInvalidDeviceRequestWithTheVerifierOn() {
    lab.kmdfVerifier(SERVICE);
    driver(null, null);
    WdfWaitLock lock = wdf.locks().waitLockCreate(null).handle();

    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    NtStatus waited = wdf.locks().waitLockAcquire(lock, Duration.ofSeconds(1));
    NtStatus tried = wdf.locks().waitLockAcquire(lock, Duration.ZERO);
    services.lowerIrql(old);
    wdf.locks().waitLockRelease(lock);

    assertThat(waited).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(tried).as("a zero timeout is a try, allowed at DISPATCH_LEVEL").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.findings(SERVICE)).extracting(f -> f.check()).containsExactly("V-KMDF-10");
    assertThat(lab.findings(SERVICE).get(0).message()).contains("WdfWaitLockAcquire", "DISPATCH_LEVEL");
  }

  @Test
  void V_KMDF_10_withTheVerifierOffTheDdiGoesAhead() {
    lab.setValue(FxLab.SERVICES + SERVICE + "\\Parameters\\Wdf", RegValue.dword("VerifierOn", 0));
    driver(null, null);
    WdfWaitLock lock = wdf.locks().waitLockCreate(null).handle();

    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    NtStatus waited = wdf.locks().waitLockAcquire(lock, Duration.ofSeconds(1));
    services.lowerIrql(old);
    wdf.locks().waitLockRelease(lock);

    assertThat(waited).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.findings(SERVICE)).isEmpty();
  }

  @Test
  void V_KMDF_10_aCreatingDdiAboveItsMaximumCreatesNothing() {
    lab.kmdfVerifier(SERVICE);
    driver(null, null);
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, "\\Device\\FxLevels2");
    int children = wdf.getDriver().children().size();

    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    NtStatus created = wdf.deviceCreate(init, null).status();
    services.lowerIrql(old);
    wdf.deviceInitFree(init);

    assertThat(created).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(wdf.getDriver().children()).hasSize(children);
    assertThat(lab.checks()).contains("V-KMDF-10");
  }

  // V-KMDF-12 -------------------------------------------------------------------------------------

  /**
   * With {@code EnhancedVerifierOptions} 0x1, a queue callback that raises to DISPATCH_LEVEL and
   * returns without lowering is 0x10D, P1 = 0xE, P2 = the IRQL at entry, P3 = at exit. The request
   * is sent from a thread of its own, which the bug check leaves at DISPATCH_LEVEL.
   */
  @Test
  void V_KMDF_12_aCallbackReturningAtAnotherIrqlIsWdfViolation0xE() throws Exception {
    lab.kmdfVerifier(SERVICE, RegValue.dword("EnhancedVerifierOptions", 1));
    driver(null, null);
    queue(WdfIoQueueConfig.initDefaultQueue(DispatchType.PARALLEL).deviceControl((q, r, out, in, code) -> {
      services.raiseIrql(Irql.DISPATCH_LEVEL);
      wdf.requestComplete(r, NtStatus.STATUS_SUCCESS);
    }), null);
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try {
      Future<?> sent = sender.submit(() -> sendAt(Irql.PASSIVE_LEVEL));

      assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(BugCheckException.class);
    } finally {
      sender.shutdownNow();
    }
    BugCheck check = lab.onlyBugCheck();
    assertThat(check.code()).isEqualTo(0x10D);
    assertThat(check.parameter1()).isEqualTo(0xE);
    assertThat(check.parameter2()).isEqualTo(Irql.PASSIVE_LEVEL.level());
    assertThat(check.parameter3()).isEqualTo(Irql.DISPATCH_LEVEL.level());
  }

  // V-KMDF-17 -------------------------------------------------------------------------------------

  @Test
  void V_KMDF_17_objectAcquireLockOnAnObjectWithoutACallbackLockIsWdfViolation0xB() {
    driver(null, null);
    WdfMemory memory = wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 16).handle();

    assertThatThrownBy(() -> wdf.locks().objectAcquireLock(memory)).isInstanceOf(BugCheckException.class);
    BugCheck check = lab.onlyBugCheck();
    assertThat(check.code()).isEqualTo(0x10D);
    assertThat(check.parameter1()).isEqualTo(0xB);
    assertThat(check.parameter2()).isEqualTo(memory.handle());
  }

  // Helpers ---------------------------------------------------------------------------------------

  /** Busy-waits: a callback at DISPATCH_LEVEL may not wait, so neither does the test's. */
  private static void spin(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
