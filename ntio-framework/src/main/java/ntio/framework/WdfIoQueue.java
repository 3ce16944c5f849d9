package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.framework.WdfIoQueueConfig.DispatchType;

/**
 * {@code WDFQUEUE}: where a device's requests wait and from where they are presented to the
 * driver. Models {@code FxIoQueue} (S18; partial: no stop/purge DDIs, no EvtIoStop, no
 * forward-progress).
 *
 * <ul>
 *   <li>{@link DispatchType#PARALLEL}: each request is presented as it arrives, on the arriving
 *       thread.
 *   <li>{@link DispatchType#SEQUENTIAL}: one request is presented at a time; the next once the
 *       driver completed or forwarded it.
 *   <li>{@link DispatchType#MANUAL}: requests wait until {@link Wdf#ioQueueRetrieveNextRequest}.
 * </ul>
 *
 * <p>A waiting request is cancellable: its IRP carries the queue's cancel routine, which takes it
 * out and completes it with {@code STATUS_CANCELLED}. A request presented to the driver is the
 * driver's to complete. When the queue is deleted, requests still waiting are completed with
 * {@code STATUS_CANCELLED}. The default queue may not be deleted by the driver (O14).
 *
 * <p>A queue of a PnP FDO is power-managed: until the device has started (and while it is stopped)
 * it holds every request, whatever its dispatch type, and presents them when the device enters
 * D0; when the device is removed or surprise-removed its waiting requests are purged (completed
 * with {@code STATUS_CANCELLED}) and later ones refused the same way ({@link FxPkgPnp}).
 *
 * <p>Its execution level and synchronization scope are its attributes', each InheritFromParent
 * taken from its device ({@code FxIoQueue::ConfigureConstraints}). Scope Device presents every
 * request under the device's callback lock, Queue under the queue's own, None under none; level
 * Dispatch makes that lock a spin lock, so the callbacks run at DISPATCH_LEVEL, and level Passive
 * a passive lock, with every callback at PASSIVE_LEVEL: a request that arrives above PASSIVE_LEVEL
 * is presented from a work item, as {@code FxIoQueue::DispatchEvents} defers to its system work
 * item. A request that arrives on a thread already holding the lock (a forward from a callback
 * under Device scope) is presented from a work item too, rather than taking the lock again.
 *
 * <p>Thread-safe: its fields are guarded by the tree lock, and the driver's callbacks are called
 * without it.
 */
public final class WdfIoQueue extends WdfObject {

  private final WdfDevice device;
  private final WdfIoQueueConfig config;
  private final FxConstraints constraints;
  /** The lock its callbacks are presented under: the device's, its own, or none (scope None). */
  private final FxCallbackLock presentationLock;

  @GuardedBy("treeLock")
  private final ArrayDeque<WdfRequest> waiting = new ArrayDeque<>();

  /** Requests presented from a sequential queue and not yet completed or forwarded (0 or 1). */
  @GuardedBy("treeLock")
  private int inFlight;

  /** Whether a thread is in the sequential dispatch loop: others leave the presenting to it. */
  @GuardedBy("treeLock")
  private boolean dispatching;

  /** Set by the dispose or a PnP purge: no request is queued or presented after it. */
  @GuardedBy("treeLock")
  private boolean purged;

  /** A power-managed queue while its device is not in D0: requests wait, none is presented. */
  @GuardedBy("treeLock")
  private boolean holding;

  WdfIoQueue(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      WdfDevice device, WdfIoQueueConfig config) {
    super(globals, WdfHandleType.WDFQUEUE, allocation, attributes);
    this.device = device;
    this.config = config;
    this.constraints = device.constraints().inheritedBy(attributes);
    // Its own lock serves WdfObjectAcquireLock under scope None or Queue (FxIoQueue keeps one even
    // for None); under Device it is the device's.
    FxCallbackLock ownLock = FxCallbackLock.forLevel(globals, this, constraints);
    this.presentationLock = switch (constraints.scope()) {
      case DEVICE -> device.callbackLock();
      case QUEUE -> ownLock;
      default -> null;
    };
    deliversCallbacks(constraints, presentationLock != null ? presentationLock : ownLock);
    boolean hold = device.holdsNewQueues();
    synchronized (treeLock) {
      this.holding = hold;
    }
    if (config.isDefaultQueue()) {
      markNoDeleteDdi();
    }
  }

  /**
   * Whether its constraints can be honoured: scope Device needs the device's execution level
   * ({@code FxIoQueue::ConfigureConstraints}: else {@code STATUS_INVALID_PARAMETER}).
   */
  NtStatus constraintsStatus() {
    return constraints.scope() == WdfObjectAttributes.SynchronizationScope.DEVICE
        && constraints.level() != device.constraints().level()
        ? NtStatus.STATUS_INVALID_PARAMETER : NtStatus.STATUS_SUCCESS;
  }

  /** The queue's device. Models {@code WdfIoQueueGetDevice} (full). */
  public WdfDevice device() {
    return device;
  }

  /** The queue's dispatch type. */
  public DispatchType dispatchType() {
    return config.dispatchType();
  }

  /** Requests waiting in the queue now: a diagnostic snapshot. */
  public int waitingCount() {
    synchronized (treeLock) {
      return waiting.size();
    }
  }

  /**
   * Queues a request that arrived or was forwarded here. A waiting request's cancel routine is set
   * under the tree lock together with its queueing, so a dispatcher never sees it without one.
   */
  void enqueue(WdfRequest request) {
    boolean refuse;
    boolean cancelledAlready = false;
    boolean presentNow = false;
    synchronized (treeLock) {
      refuse = purged || stateLocked() != WdfObjectState.CREATED;
      if (!refuse) {
        if (config.dispatchType() == DispatchType.PARALLEL && !holding) {
          presentNow = true;
          request.presentedLocked(this);
        } else {
          Irp irp = request.wdmIrp();
          irp.setCancelRoutine(this::cancelWaiting);
          if (irp.isCancelled() && irp.setCancelRoutine(null) != null) {
            // Cancelled before the routine was set: nobody else will call it.
            cancelledAlready = true;
          } else {
            waiting.addLast(request);
            request.queuedLocked(this);
          }
        }
      }
    }
    if (refuse || cancelledAlready) {
      request.complete(NtStatus.STATUS_CANCELLED, 0);
    } else if (presentNow) {
      present(request);
    } else {
      dispatchWaiting();
    }
  }

  /** The cancel routine of a waiting request's IRP. */
  private void cancelWaiting(DeviceObject deviceObject, Irp irp) {
    // Called holding the cancel spin lock: released first, before the queue's own lock is taken,
    // as KMDF's FxIrpQueue::_WdmCancelRoutineInternal does (shared/support/fxirpqueue.cpp).
    globals.services.releaseCancelSpinLock(irp.cancelIrql());
    WdfRequest found = null;
    synchronized (treeLock) {
      for (WdfRequest request : waiting) {
        if (request.wdmIrp() == irp) {
          found = request;
          break;
        }
      }
      if (found != null) {
        waiting.remove(found);
      }
    }
    // Not found: a dispatcher took it first; seeing no cancel routine to clear, it completes it.
    if (found != null) {
      found.complete(NtStatus.STATUS_CANCELLED, 0);
    }
  }

  /**
   * Takes a waiting request's cancel routine back. Returns false if the request is being
   * cancelled: the caller, which has already taken it out of the queue, completes it cancelled.
   */
  private static boolean uncancellable(WdfRequest request) {
    return request.wdmIrp().setCancelRoutine(null) != null;
  }

  /** Presents waiting requests of a sequential queue while it has none in flight. */
  void dispatchWaiting() {
    if (config.dispatchType() != DispatchType.SEQUENTIAL) {
      return;
    }
    while (true) {
      WdfRequest next;
      synchronized (treeLock) {
        if (dispatching || inFlight > 0 || purged || holding) {
          return;
        }
        next = waiting.pollFirst();
        if (next == null) {
          return;
        }
        inFlight++;
        dispatching = true;
        next.presentedLocked(this);
      }
      try {
        if (uncancellable(next)) {
          present(next);
        } else {
          next.complete(NtStatus.STATUS_CANCELLED, 0);
        }
      } finally {
        synchronized (treeLock) {
          dispatching = false;
        }
      }
    }
  }

  /** A request presented from here was completed or forwarded. */
  void presentedRequestDone() {
    synchronized (treeLock) {
      if (config.dispatchType() == DispatchType.SEQUENTIAL && inFlight > 0) {
        inFlight--;
      }
    }
  }

  /**
   * Presents a request to the driver under the queue's constraints: from a work item when a
   * Passive queue's request arrives above PASSIVE_LEVEL or the thread already holds the
   * presentation lock; else here, under the lock.
   */
  private void present(WdfRequest request) {
    boolean defer = (constraints.passive() && FxIrql.raised(globals))
        || (presentationLock != null && presentationLock.heldByCurrentThread());
    if (defer) {
      globals.reference();
      NtStatus queued = globals.services.queueWorkItem(device.wdmDevice(), () -> {
        try {
          presentUnderLock(request);
        } finally {
          globals.release();
        }
      });
      if (queued.isSuccess()) {
        return;
      }
      globals.release();
    }
    presentUnderLock(request);
  }

  private void presentUnderLock(WdfRequest request) {
    FxCallbackLock.call(globals, presentationLock, "the I/O callback of " + this, () -> presentToDriver(request));
  }

  /** Calls the driver's callback for the request, or fails it when the queue has none. */
  private void presentToDriver(WdfRequest request) {
    IoStackLocation location = request.wdmIrp().currentStackLocation();
    switch (location.majorFunction()) {
      case MajorFunctions.IRP_MJ_READ -> {
        if (config.read() != null) {
          config.read().onRead(this, request, Integer.toUnsignedLong(location.length()));
          return;
        }
      }
      case MajorFunctions.IRP_MJ_WRITE -> {
        if (config.write() != null) {
          config.write().onWrite(this, request, Integer.toUnsignedLong(location.length()));
          return;
        }
      }
      case MajorFunctions.IRP_MJ_DEVICE_CONTROL -> {
        if (config.deviceControl() != null) {
          config.deviceControl().onDeviceControl(this, request,
              Integer.toUnsignedLong(location.outputBufferLength()),
              Integer.toUnsignedLong(location.inputBufferLength()), location.ioControlCode());
          return;
        }
      }
      default -> { }
    }
    if (config.defaultCallback() != null) {
      config.defaultCallback().onDefault(this, request);
    } else {
      request.complete(NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0);
    }
  }

  /** Models {@code WdfIoQueueRetrieveNextRequest} (full for a manual queue). */
  WdfResult<WdfRequest> retrieveNext() {
    if (config.dispatchType() != DispatchType.MANUAL) {
      return WdfResult.failed(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    }
    while (true) {
      WdfRequest next;
      synchronized (treeLock) {
        next = holding ? null : waiting.pollFirst();
        if (next == null) {
          return WdfResult.failed(NtStatus.STATUS_NO_MORE_ENTRIES);
        }
        next.presentedLocked(this);
      }
      if (uncancellable(next)) {
        return WdfResult.created(next);
      }
      next.complete(NtStatus.STATUS_CANCELLED, 0);
    }
  }

  /** Models {@code WdfRequestForwardToIoQueue} (partial: same device only). */
  NtStatus forward(WdfRequest request) {
    WdfIoQueue from;
    synchronized (treeLock) {
      if (!request.isPresentedLocked()) {
        return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
      }
      from = request.queueLocked();
      if (from == this || request.device() != device || purged
          || stateLocked() != WdfObjectState.CREATED) {
        return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
      }
      request.queuedLocked(null);
    }
    if (from != null) {
      from.presentedRequestDone();
    }
    enqueue(request);
    if (from != null) {
      from.dispatchWaiting();
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** The device entered D0: presents what the queue held. */
  void powerUp() {
    synchronized (treeLock) {
      if (!holding) {
        return;
      }
      holding = false;
    }
    if (config.dispatchType() == DispatchType.SEQUENTIAL) {
      dispatchWaiting();
      return;
    }
    while (config.dispatchType() == DispatchType.PARALLEL) {
      WdfRequest next;
      synchronized (treeLock) {
        next = holding || purged ? null : waiting.pollFirst();
        if (next == null) {
          return;
        }
        next.presentedLocked(this);
      }
      if (uncancellable(next)) {
        present(next);
      } else {
        next.complete(NtStatus.STATUS_CANCELLED, 0);
      }
    }
  }

  /** The device leaves D0 for a stop: new requests wait until {@link #powerUp}. */
  void hold() {
    synchronized (treeLock) {
      holding = device.pnp() != null && device.pnp().powerManagedQueues();
    }
  }

  @Override
  void disposeResources() {
    purge();
  }

  /**
   * Completes every waiting request with {@code STATUS_CANCELLED} and refuses later ones the same
   * way: a queue's deletion, or its device's removal. Models {@code FxIoQueue}'s purge.
   */
  void purge() {
    List<WdfRequest> cancelled;
    synchronized (treeLock) {
      purged = true;
      cancelled = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (WdfRequest request : cancelled) {
      // Whether or not its cancel routine is running, it is no longer in the queue: complete here.
      request.wdmIrp().setCancelRoutine(null);
      request.complete(NtStatus.STATUS_CANCELLED, 0);
    }
  }
}
