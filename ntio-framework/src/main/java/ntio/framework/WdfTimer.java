package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import ntio.ddk.KernelTimer;

/**
 * {@code WDFTIMER}: a kernel timer whose DPC calls the driver's {@code EvtTimerFunc}. Models
 * {@code FxTimer} (S17; partial: no high-resolution timers).
 *
 * <p>Its parent is required and must have a WDFDEVICE as ancestor (O3); the timer holds a
 * reference on that parent for its own lifetime. Deleting it — directly or through its parent —
 * stops the kernel timer and waits for a callback that is running (O16, L12), so no callback runs
 * after its cleanup and none can outlive the image. Deleting it from its own callback cannot wait
 * and is reported (V-KMDF-15).
 *
 * <p>With automatic serialization its callback runs under the callback lock of the queue or device
 * above it ({@link FxTimerWorkItemCreate}); with ExecutionLevel Passive it runs at PASSIVE_LEVEL,
 * from a work item the DPC queues, as KMDF's passive timers use their {@code FxSystemWorkItem}.
 *
 * <p>Thread-safe: the run state is guarded by the tree lock; the driver's callback is never called
 * with it held.
 */
public final class WdfTimer extends WdfObject {

  private final WdfTimerConfig config;
  private final WdfObject timerParent;
  private final WdfDevice device;
  /** The callback lock of automatic serialization, or null. */
  private final FxCallbackLock lock;
  private final boolean passive;
  private KernelTimer kernelTimer;

  /** Set by the dispose: no callback may start after it. */
  @GuardedBy("treeLock")
  private boolean stopped;

  /** Callbacks running or, for a passive timer, queued to run now. */
  @GuardedBy("treeLock")
  private int running;

  @GuardedBy("treeLock")
  private Thread callbackThread;

  WdfTimer(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      WdfTimerConfig config, WdfObject parent, WdfDevice device, FxCallbackLock lock) {
    super(globals, WdfHandleType.WDFTIMER, allocation, attributes);
    this.config = config;
    this.timerParent = parent;
    this.device = device;
    this.lock = lock;
    this.passive = passiveCallbacks();
  }

  /** Creates the kernel timer: {@code KeInitializeTimerEx} + {@code KeInitializeDpc}. */
  void initialize() {
    kernelTimer = globals.services.initializeTimer(this::expired);
  }

  KernelTimer kernelTimer() {
    return kernelTimer;
  }

  /** Models {@code WdfTimerStart} (partial: relative due times only). */
  boolean start(Duration dueTime) {
    synchronized (treeLock) {
      if (stopped) {
        return false;
      }
    }
    long period = config.period().toNanos();
    return kernelTimer.set(Math.max(0, dueTime.toNanos()), period);
  }

  /**
   * Models {@code WdfTimerStop}: cancels the kernel timer and, when {@code wait}, waits for a
   * running callback — except from that callback, which would deadlock (V-KMDF-15).
   *
   * @return whether the timer was in the timer queue
   */
  boolean stop(boolean wait) {
    boolean wasSet = kernelTimer.cancel();
    if (wait) {
      awaitCallback("WdfTimerStop with wait", "WdfTimerStop(wait) called from the timer's own callback");
    }
    return wasSet;
  }

  /**
   * The DPC: the framework's wrapper around {@code EvtTimerFunc}, which a passive timer hands to a
   * work item when it runs above PASSIVE_LEVEL ({@code FxTimer::TimerHandler}).
   */
  private void expired() {
    synchronized (treeLock) {
      if (stopped) {
        return;
      }
      running++;
    }
    globals.reference();
    boolean deferred = passive && FxIrql.raised(globals)
        && globals.services.queueWorkItem(device.wdmDevice(), this::fire).isSuccess();
    if (!deferred) {
      fire();
    }
  }

  private void fire() {
    synchronized (treeLock) {
      callbackThread = Thread.currentThread();
    }
    try {
      FxCallbackLock.call(globals, lock, "EvtTimerFunc of " + this, () -> config.callback().onTimer(this));
    } finally {
      synchronized (treeLock) {
        running--;
        callbackThread = null;
        treeLock.notifyAll();
      }
      globals.release();
    }
  }

  private void awaitCallback(String waitingAs, String deadlockMessage) {
    synchronized (treeLock) {
      if (callbackThread == Thread.currentThread()) {
        globals.verifierBreak("V-KMDF-15", this + ": " + deadlockMessage + "; this will lead to deadlock, not waiting");
        return;
      }
      FxWait.waitLocked(globals, this::idleLocked, () -> "for " + this + " to finish its callback ("
          + waitingAs + ")");
    }
  }

  @SuppressWarnings("GuardedBy") // called by FxWait with the tree lock held
  private boolean idleLocked() {
    return running == 0;
  }

  @Override
  void disposeResources() {
    synchronized (treeLock) {
      stopped = true;
    }
    kernelTimer.cancel();
    awaitCallback("the timer is being deleted", "the timer is deleted from its own callback");
  }

  @Override
  void destroyResources(boolean attached) {
    if (attached) {
      globals.verifierBreak("V-KMDF-14", this + " reached its destructor while still attached to "
          + timerParent + ": it was dereferenced instead of deleted");
    }
    timerParent.release(this, "timer destroyed");
  }

  @Override
  void discardResources() {
    if (kernelTimer != null) {
      kernelTimer.cancel();
    }
  }
}
