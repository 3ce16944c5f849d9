package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import ntio.ddk.KernelTimer;

/**
 * {@code WDFTIMER}: a kernel timer whose DPC calls the driver's {@code EvtTimerFunc}. Models
 * {@code FxTimer} (S17; partial: no automatic serialization, no high-resolution timers).
 *
 * <p>Its parent is required and must have a WDFDEVICE as ancestor (O3); the timer holds a
 * reference on that parent for its own lifetime. Deleting it — directly or through its parent —
 * stops the kernel timer and waits for a callback that is running (O16, L12), so no callback runs
 * after its cleanup and none can outlive the image. Deleting it from its own callback cannot wait
 * and is reported (V-KMDF-15).
 *
 * <p>Thread-safe: the run state is guarded by the tree lock; the driver's callback is never called
 * with it held.
 */
public final class WdfTimer extends WdfObject {

  private final WdfTimerConfig config;
  private final WdfObject timerParent;
  private KernelTimer kernelTimer;

  /** Set by the dispose: no callback may start after it. */
  @GuardedBy("treeLock")
  private boolean stopped;

  /** Callbacks running now (0 or 1: the kernel runs one DPC of a timer at a time). */
  @GuardedBy("treeLock")
  private int running;

  @GuardedBy("treeLock")
  private Thread callbackThread;

  WdfTimer(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      WdfTimerConfig config, WdfObject parent) {
    super(globals, WdfHandleType.WDFTIMER, allocation, attributes);
    this.config = config;
    this.timerParent = parent;
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

  /** The DPC: the framework's wrapper around {@code EvtTimerFunc}. */
  private void expired() {
    synchronized (treeLock) {
      if (stopped) {
        return;
      }
      running++;
      callbackThread = Thread.currentThread();
    }
    globals.reference();
    try {
      config.callback().onTimer(this);
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
