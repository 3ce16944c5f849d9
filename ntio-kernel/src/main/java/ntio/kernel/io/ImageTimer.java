package ntio.kernel.io;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.ScheduledFuture;
import ntio.api.EventType;
import ntio.ddk.KernelDpc;
import ntio.ddk.KernelTimer;
import ntio.kernel.executive.KEvent;
import ntio.kernel.ke.Waitable;

/**
 * A driver's timer ({@code KTIMER}), with the DPC it was initialized with or none. Set, it waits
 * in the kernel's {@link ntio.kernel.executive.TimerQueue}; at expiry it is signalled (a
 * notification event a thread can wait on, reset at each set) and its DPC is queued on a
 * processor's DPC queue, where it runs at DISPATCH_LEVEL through the image's gate — so a DPC of
 * an unloaded image is bug check 0xCE, as in NT. Models ReactOS {@code KiTimerListExpire}
 * ({@code ntoskrnl/ke/dpc.c}): signal, re-insert a periodic timer, then queue the DPC with {@code
 * KeInsertQueueDpc} (which coalesces with one still queued). While set it is listed in its image's
 * {@link ImageResources}, for the verifier's unload scan.
 *
 * <p>Thread-safe; no lock is held when the DPC is queued, and it runs on a processor's worker.
 */
final class ImageTimer implements KernelTimer, Waitable {

  private final ImageKernelRoutines services;
  private final ImageDpc ownDpc;
  private final long address;
  /** Signalled at expiry, reset when the timer is set: what a wait on the timer waits for. */
  private final KEvent signal = new KEvent(EventType.NOTIFICATION, false);

  /** The queued expiry, or null when the timer is not set. */
  @GuardedBy("this")
  private ScheduledFuture<?> queued;

  /** Bumped at each set and cancel, so that a stale expiry cannot unset a newer setting. */
  @GuardedBy("this")
  private long generation;

  @GuardedBy("this")
  private boolean periodic;

  /** The DPC the current setting queues at expiry, or null. */
  @GuardedBy("this")
  private ImageDpc dpc;

  /** @param ownDpc the DPC it was initialized with ({@code KeInitializeTimerEx} + DPC), or null */
  ImageTimer(ImageKernelRoutines services, ImageDpc ownDpc, long address) {
    this.services = services;
    this.ownDpc = ownDpc;
    this.dpc = ownDpc;
    this.address = address;
  }

  long address() {
    return address;
  }

  synchronized String describe() {
    return dpc != null ? "timer with " + dpc.describe() : "timer with no DPC";
  }

  @Override
  public KEvent dispatcherEvent() {
    return signal;
  }

  @Override
  public boolean set(long dueTimeNanos, long periodNanos) {
    services.checkLoaded("KeSetTimerEx");
    return arm(dueTimeNanos, periodNanos, ownDpc);
  }

  @Override
  public boolean set(long dueTimeNanos, long periodNanos, KernelDpc withDpc) {
    services.checkLoaded("KeSetTimerEx");
    if (withDpc != null && !(withDpc instanceof ImageDpc)) {
      throw services.arguments().fault("KeSetTimerEx given " + withDpc + ", not a DPC from KeInitializeDpc");
    }
    return arm(dueTimeNanos, periodNanos, (ImageDpc) withDpc);
  }

  private boolean arm(long dueTimeNanos, long periodNanos, ImageDpc withDpc) {
    boolean wasSet;
    synchronized (this) {
      wasSet = queued != null;
      if (queued != null) {
        queued.cancel(false);
      }
      long mine = ++generation;
      periodic = periodNanos > 0;
      dpc = withDpc;
      // KeSetTimerEx clears the signal state: a wait after the set waits for this expiry.
      signal.reset();
      queued = services.io.timers.schedule(() -> expire(mine), dueTimeNanos, periodNanos);
      if (queued != null) {
        services.resources().setTimers.add(this);
      } else {
        services.resources().setTimers.remove(this);
      }
    }
    return wasSet;
  }

  @Override
  public boolean isSignalled() {
    services.checkLoaded("KeReadStateTimer");
    return signal.readState();
  }

  @Override
  public boolean cancel() {
    services.checkLoaded("KeCancelTimer");
    synchronized (this) {
      generation++;
      if (queued == null) {
        return false;
      }
      queued.cancel(false);
      queued = null;
      services.resources().setTimers.remove(this);
      return true;
    }
  }

  @Override
  public synchronized boolean isSet() {
    return queued != null;
  }

  /**
   * On the timer thread: a one-shot timer leaves the queue, the timer is signalled, then its DPC
   * is queued on a processor (none runs here, and no driver code runs on the timer thread).
   */
  private void expire(long mine) {
    ImageDpc toQueue;
    synchronized (this) {
      if (mine != generation) {
        return;
      }
      if (!periodic) {
        queued = null;
        services.resources().setTimers.remove(this);
      }
      signal.set();
      toQueue = dpc;
    }
    if (toQueue != null) {
      services.io.processors.insertAtExpiry(toQueue.kernelDpc());
    }
  }
}
