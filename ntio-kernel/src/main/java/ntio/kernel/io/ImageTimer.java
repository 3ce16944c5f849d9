package ntio.kernel.io;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.ScheduledFuture;
import ntio.ddk.KernelTimer;

/**
 * A driver's timer and its DPC ({@code KTIMER} + {@code KDPC}). Set, it waits in the kernel's
 * {@link ntio.kernel.executive.TimerQueue}; at expiry a one-shot timer leaves the queue and its
 * DPC runs through the image's services — so a DPC of an unloaded image is bug check 0xCE, as in
 * NT. While set it is listed in its image's {@link ImageResources}, for the verifier's unload scan.
 *
 * <p>Thread-safe; the DPC runs with no lock held.
 */
final class ImageTimer implements KernelTimer {

  private final ImageImports services;
  private final Runnable deferredRoutine;
  private final long address;

  /** The queued expiry, or null when the timer is not set. */
  @GuardedBy("this")
  private ScheduledFuture<?> queued;

  /** Bumped at each set and cancel, so that a stale expiry cannot unset a newer setting. */
  @GuardedBy("this")
  private long generation;

  @GuardedBy("this")
  private boolean periodic;

  ImageTimer(ImageImports services, Runnable deferredRoutine, long address) {
    this.services = services;
    this.deferredRoutine = deferredRoutine;
    this.address = address;
  }

  long address() {
    return address;
  }

  String describe() {
    return "timer with DPC " + ImageResources.routineName(deferredRoutine);
  }

  @Override
  public boolean set(long dueTimeNanos, long periodNanos) {
    services.checkLoaded("KeSetTimerEx");
    boolean wasSet;
    synchronized (this) {
      wasSet = queued != null;
      if (queued != null) {
        queued.cancel(false);
      }
      long mine = ++generation;
      periodic = periodNanos > 0;
      queued = services.io().timers.schedule(() -> expire(mine), dueTimeNanos, periodNanos);
      if (queued != null) {
        services.resources().setTimers.add(this);
      } else {
        services.resources().setTimers.remove(this);
      }
    }
    return wasSet;
  }

  @Override
  public boolean set(long dueTimeNanos, long periodNanos, ntio.ddk.KernelDpc dpc) {
    throw new UnsupportedOperationException("KeSetTimerEx with a DPC: issue 19, in progress");
  }

  @Override
  public boolean isSignalled() {
    throw new UnsupportedOperationException("KeReadStateTimer: issue 19, in progress");
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

  /** On the timer thread: a one-shot timer leaves the queue, then the DPC runs. */
  private void expire(long mine) {
    synchronized (this) {
      if (mine != generation) {
        return;
      }
      if (!periodic) {
        queued = null;
        services.resources().setTimers.remove(this);
      }
    }
    try {
      services.runDriverCallback("the DPC of " + describe(), deferredRoutine);
    } catch (ntio.kernel.executive.BugCheckException halted) {
      // Recorded by the crash handler; the timer thread carries on for other timers.
    }
  }
}
