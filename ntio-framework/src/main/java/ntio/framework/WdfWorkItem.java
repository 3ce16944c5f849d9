package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import ntio.ddk.NtStatus;

/**
 * {@code WDFWORKITEM}: work the framework queues to a System worker thread for the driver. Models
 * {@code FxWorkItem} (S17). With automatic serialization its callback runs under the passive
 * callback lock of the queue or device above it ({@link FxTimerWorkItemCreate}).
 *
 * <p>Its parent is required and must have a WDFDEVICE as ancestor (O3); the item holds a reference
 * on that parent for its own lifetime. It is queued with {@code IoQueueWorkItem} on the ancestor's
 * device object, so a queued item keeps the driver loaded (L12), and it holds a reference on the
 * framework globals while queued or running, so teardown waits for it (L7 d). Deleting it flushes
 * it: waits until it is neither queued nor running (O16). Flushing or deleting from its own
 * callback is reported (V-KMDF-15); enqueueing once deletion started is reported and ignored.
 *
 * <p>Thread-safe: its run state is guarded by the tree lock; the callback is never called with it
 * held.
 */
public final class WdfWorkItem extends WdfObject {

  private final WdfWorkItemConfig config;
  private final WdfObject itemParent;
  private final WdfDevice device;
  /** The callback lock of automatic serialization, or null. */
  private final FxCallbackLock lock;

  @GuardedBy("treeLock")
  private boolean enqueued;

  @GuardedBy("treeLock")
  private boolean running;

  @GuardedBy("treeLock")
  private boolean deleting;

  @GuardedBy("treeLock")
  private Thread callbackThread;

  WdfWorkItem(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      WdfWorkItemConfig config, WdfObject parent, WdfDevice device, FxCallbackLock lock) {
    super(globals, WdfHandleType.WDFWORKITEM, allocation, attributes);
    this.config = config;
    this.itemParent = parent;
    this.device = device;
    this.lock = lock;
  }

  /** Models {@code WdfWorkItemEnqueue}: a second enqueue while queued is ignored, as in KMDF. */
  void enqueue() {
    boolean refused;
    synchronized (treeLock) {
      refused = deleting;
      if (!refused) {
        if (enqueued) {
          return;
        }
        enqueued = true;
      }
    }
    if (refused) {
      globals.verifierBreak("V-KMDF-WORKITEM", this + " enqueued after its deletion started: already deleted");
      return;
    }
    globals.reference();
    NtStatus queued = globals.services.queueWorkItem(device.wdmDevice(), this::run);
    if (!queued.isSuccess()) {
      synchronized (treeLock) {
        enqueued = false;
        treeLock.notifyAll();
      }
      globals.release();
    }
  }

  private void run() {
    synchronized (treeLock) {
      enqueued = false;
      running = true;
      callbackThread = Thread.currentThread();
    }
    try {
      FxCallbackLock.call(globals, lock, "EvtWorkItemFunc of " + this, () -> config.callback().run(this));
    } finally {
      synchronized (treeLock) {
        running = false;
        callbackThread = null;
        treeLock.notifyAll();
      }
      globals.release();
    }
  }

  /**
   * Models {@code WdfWorkItemFlush}: waits until the item is neither queued nor running; a wait
   * longer than {@code DbgWaitForSignalTimeoutInSec} is reported (V-KMDF-20) and goes on.
   */
  void flush(String what) {
    synchronized (treeLock) {
      if (callbackThread == Thread.currentThread()) {
        globals.verifierBreak("V-KMDF-15", this + ": " + what
            + " from the work item's own callback; this will lead to deadlock, not waiting");
        return;
      }
      FxWait.waitLocked(globals, this::idleLocked, () -> "for " + this + " to finish its callback ("
          + what + ")");
    }
  }

  @SuppressWarnings("GuardedBy") // called by FxWait with the tree lock held
  private boolean idleLocked() {
    return !enqueued && !running;
  }

  @Override
  void disposeResources() {
    synchronized (treeLock) {
      deleting = true;
    }
    flush("the work item is being deleted");
  }

  @Override
  void destroyResources(boolean attached) {
    if (attached) {
      globals.verifierBreak("V-KMDF-14", this + " reached its destructor while still attached to "
          + itemParent + ": it was dereferenced instead of deleted");
    }
    itemParent.release(this, "work item destroyed");
  }
}
