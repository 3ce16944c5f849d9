package ntio.ddk;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The part of an {@code IRP} that {@code wdm.h} itself defines, written once: the struct's fields
 * (the stack locations, {@code CurrentLocation}, {@code IoStatus}, {@code RequestorMode}, {@code
 * PendingReturned}, {@code Cancel}, {@code CancelRoutine}, the buffers) and the header's inline
 * routines on them ({@code IoGetCurrentIrpStackLocation}, {@code IoGetNextIrpStackLocation},
 * {@code IoSkipCurrentIrpStackLocation}, {@code IoCopyCurrentIrpStackLocationToNext}, {@code
 * IoSetCompletionRoutine}, {@code IoMarkIrpPending}, {@code IoSetCancelRoutine}). The kernel's IRP
 * and the DDK test kit's extend it; what an I/O manager does with a request ({@code IoCallDriver},
 * {@code IoCompleteRequest}, {@code IoCancelIrp}) is theirs, done through the {@link IoManagerSteps}
 * only a subclass can reach.
 *
 * <p>Locations are numbered as NT's {@code CurrentLocation}: 1..{@code StackCount}, the current
 * one counting down with each {@code IoCallDriver}; before the first it is {@code StackCount + 1}.
 *
 * <p>Thread-safety follows NT's ownership rule: one driver owns a request at a time; ownership
 * passes with {@code IoCallDriver} and {@code IoCompleteRequest}, which may happen on different
 * threads, so every field another thread reads is volatile, and the cancel routine is exchanged
 * atomically.
 */
public abstract class AbstractIrp implements Irp {

  /** Locations 1..StackCount; index 0 is unused, so that indexes read as NT's CurrentLocation. */
  private final IoStackLocation[] locations;
  private final StatusBlock ioStatus = new StatusBlock();
  private final ProcessorMode requestorMode;
  private final byte[] systemBuffer;
  private final AtomicReference<CancelRoutine> cancelRoutine = new AtomicReference<>();
  private volatile Mdl mdl;
  private volatile java.nio.ByteBuffer userBuffer;
  /** {@code CurrentLocation}: StackCount + 1 before the first IoCallDriver. */
  private volatile int currentLocation;
  private volatile boolean pendingReturned;
  private volatile boolean cancel;
  private volatile Irql cancelIrql = Irql.PASSIVE_LEVEL;
  private final IoManagerSteps steps = new IoManagerSteps();

  /**
   * A request with {@code stackCount} zeroed locations, none current yet, and {@code IoStatus} at
   * {@code STATUS_PENDING}.
   *
   * @param systemBuffer {@code AssociatedIrp.SystemBuffer}; null for none (an empty one)
   * @throws IllegalArgumentException if {@code stackCount} is below 1
   */
  protected AbstractIrp(int stackCount, ProcessorMode requestorMode, byte[] systemBuffer) {
    if (stackCount < 1) {
      throw new IllegalArgumentException("stack count " + stackCount);
    }
    this.locations = new IoStackLocation[stackCount + 1];
    for (int i = 1; i <= stackCount; i++) {
      locations[i] = new IoStackLocation();
    }
    this.requestorMode = Objects.requireNonNull(requestorMode);
    this.systemBuffer = systemBuffer == null ? new byte[0] : systemBuffer;
    this.currentLocation = stackCount + 1;
  }

  // Irp: the inline routines of wdm.h -------------------------------------------------------------

  @Override
  public IoStatusBlock ioStatus() {
    return ioStatus;
  }

  @Override
  public IoStackLocation currentStackLocation() {
    int current = currentLocation;
    if (current < 1 || current > stackCount()) {
      throw new IllegalStateException("no current stack location (CurrentLocation " + current + ")");
    }
    return locations[current];
  }

  @Override
  public IoStackLocation nextStackLocation() {
    int next = currentLocation - 1;
    if (next < 1) {
      throw new IllegalStateException(
          "IRP has no stack location left (StackCount " + stackCount() + ")");
    }
    return locations[next];
  }

  @Override
  public void skipCurrentStackLocation() {
    currentLocation++;
  }

  @Override
  public void copyCurrentStackLocationToNext() {
    nextStackLocation().copyFrom(currentStackLocation());
  }

  @Override
  public int stackCount() {
    return locations.length - 1;
  }

  @Override
  public ProcessorMode requestorMode() {
    return requestorMode;
  }

  @Override
  public boolean pendingReturned() {
    return pendingReturned;
  }

  @Override
  public void markPending() {
    currentStackLocation().control |= IoStackLocation.SL_PENDING_RETURNED;
  }

  @Override
  public void setCompletionRoutine(CompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel) {
    IoStackLocation next = nextStackLocation();
    next.completionRoutine = routine;
    next.context = context;
    int control = next.control & IoStackLocation.SL_PENDING_RETURNED;
    if (routine != null) {
      control |= (invokeOnSuccess ? IoStackLocation.SL_INVOKE_ON_SUCCESS : 0)
          | (invokeOnError ? IoStackLocation.SL_INVOKE_ON_ERROR : 0)
          | (invokeOnCancel ? IoStackLocation.SL_INVOKE_ON_CANCEL : 0);
    }
    next.control = control;
  }

  @Override
  public CancelRoutine setCancelRoutine(CancelRoutine routine) {
    return cancelRoutine.getAndSet(routine);
  }

  @Override
  public boolean isCancelled() {
    return cancel;
  }

  @Override
  public Irql cancelIrql() {
    return cancelIrql;
  }

  @Override
  public byte[] systemBuffer() {
    return systemBuffer;
  }

  @Override
  public Mdl mdlAddress() {
    return mdl;
  }

  @Override
  public java.nio.ByteBuffer userBuffer() {
    java.nio.ByteBuffer buffer = userBuffer;
    return buffer == null ? null : buffer.duplicate();
  }

  // The I/O manager's side ------------------------------------------------------------------------

  /**
   * The steps an I/O manager takes on this request (the kernel's or the test kit's): for a
   * subclass to hand to its own I/O manager, never to a driver.
   */
  protected final IoManagerSteps ioManagerSteps() {
    return steps;
  }

  /**
   * What an I/O manager does to an IRP's fields beyond the inline routines a driver calls: {@code
   * IoCallDriver}'s step down, {@code IoCompleteRequest}'s step up, {@code IoCancelIrp}'s marks.
   * Reached only through {@link AbstractIrp#ioManagerSteps()}.
   */
  public final class IoManagerSteps {

    private IoManagerSteps() {}

    /** {@code MdlAddress} and {@code UserBuffer} of a direct or neither request, before it is sent. */
    public void setCallerBuffers(Mdl mdl, java.nio.ByteBuffer userBuffer) {
      AbstractIrp.this.mdl = mdl;
      AbstractIrp.this.userBuffer = userBuffer;
    }

    /** {@code CurrentLocation}. */
    public int currentLocation() {
      return currentLocation;
    }

    /** Sets {@code CurrentLocation}: for an I/O manager completing a request in a driver's stead. */
    public void setCurrentLocation(int index) {
      currentLocation = index;
    }

    /** Location {@code index} (1..StackCount). */
    public IoStackLocation location(int index) {
      return locations[index];
    }

    /**
     * {@code IoCallDriver}'s step down: the next location becomes the current one, for {@code
     * device}; false, and nothing changed, when there is no location left.
     */
    public boolean advance(DeviceObject device) {
      if (currentLocation - 1 < 1) {
        return false;
      }
      currentLocation--;
      locations[currentLocation].setDeviceObject(device);
      return true;
    }

    /** Sets {@code PendingReturned}, as {@code IoCompleteRequest} does before a completion routine. */
    public void setPendingReturned(boolean returned) {
      pendingReturned = returned;
    }

    /** {@code Irp->Cancel = TRUE}: the first step of {@code IoCancelIrp}. */
    public void markCancelled() {
      cancel = true;
    }

    /** {@code Irp->CancelIrql}: the IRQL {@code IoCancelIrp}'s caller was at, set under the cancel spin lock. */
    public void setCancelIrql(Irql irql) {
      cancelIrql = java.util.Objects.requireNonNull(irql, "irql");
    }

    /** {@code IoSetCancelRoutine(Irp, NULL)} on the I/O manager's side: the routine, or null. */
    public CancelRoutine takeCancelRoutine() {
      return cancelRoutine.getAndSet(null);
    }

    /** The cancel routine set now, or null, left in place. */
    public CancelRoutine cancelRoutine() {
      return cancelRoutine.get();
    }

    /**
     * One step of {@code IoCompleteRequest}'s walk up the stack, as the location's {@code Control}
     * bits define it: location {@code index} is left ({@code CurrentLocation} becomes the one
     * above), {@code PendingReturned} is set from its {@code SL_PENDING_RETURNED}, and its completion routine is
     * taken out of it. If that routine is to run for the status and the cancel flag now, it is
     * returned for the I/O manager to call; otherwise pending is propagated to the location above,
     * and null is returned.
     */
    public CompletionCall completeLocation(int index) {
      IoStackLocation stack = locations[index];
      currentLocation = index + 1;
      pendingReturned = (stack.control & IoStackLocation.SL_PENDING_RETURNED) != 0;
      CompletionRoutine routine = stack.completionRoutine;
      Object context = stack.context;
      int control = stack.control;
      stack.clearCompletion();
      NtStatus status = ioStatus.status();
      boolean invoke = routine != null
          && ((status.isSuccess() && (control & IoStackLocation.SL_INVOKE_ON_SUCCESS) != 0)
              || (!status.isSuccess() && (control & IoStackLocation.SL_INVOKE_ON_ERROR) != 0)
              || (cancel && (control & IoStackLocation.SL_INVOKE_ON_CANCEL) != 0));
      boolean top = index + 1 > stackCount();
      if (invoke) {
        return new CompletionCall(routine, context, top ? null : locations[index + 1].deviceObject(),
            stack.deviceObject());
      }
      if (pendingReturned && !top) {
        locations[index + 1].control |= IoStackLocation.SL_PENDING_RETURNED;
      }
      return null;
    }
  }

  /**
   * A completion routine {@link IoManagerSteps#completeLocation(int)} found to run.
   *
   * @param routine the routine
   * @param context its context
   * @param upper the device of the driver that set it (the location above's); null when whoever
   *     built the request set it, above every driver
   * @param device the device of the location that was completed
   */
  public record CompletionCall(CompletionRoutine routine, Object context, DeviceObject upper,
      DeviceObject device) {

    /** Runs the routine for {@code irp}; what it returns. */
    public NtStatus run(Irp irp) {
      return routine.onCompletion(upper, irp, context);
    }
  }

  /** {@code IoStatus}: STATUS_PENDING until a driver sets the result. */
  private static final class StatusBlock implements IoStatusBlock {
    private volatile NtStatus status = NtStatus.STATUS_PENDING;
    private volatile long information;
    private volatile Object informationPointer;

    @Override
    public NtStatus status() {
      return status;
    }

    @Override
    public void setStatus(NtStatus status) {
      this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public long information() {
      return information;
    }

    @Override
    public void setInformation(long information) {
      this.information = information;
    }

    @Override
    public Object informationPointer() {
      return informationPointer;
    }

    @Override
    public void setInformationPointer(Object pointer) {
      this.informationPointer = pointer;
    }
  }
}
