package ntio.kernel.io;

import java.util.Objects;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.IoStatusBlock;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.EventType;
import ntio.kernel.executive.KEvent;

/**
 * An I/O request packet. Models {@code IRP} and its stack of {@code IO_STACK_LOCATION}s (partial:
 * buffered I/O; completion routines and cancellation come with the I/O path).
 *
 * <p>As in NT the current location starts one past the last ({@code StackCount + 1}); each
 * {@code IoCallDriver} moves it one down before dispatching, {@code IoSkipCurrentIrpStackLocation}
 * one up. Location {@code StackCount} is the top driver's.
 */
final class KernelIrp implements Irp {

  private final StackLocation[] locations;
  private final StatusBlock ioStatus = new StatusBlock();
  private final ProcessorMode requestorMode;
  private final byte[] systemBuffer;
  private final KEvent completed = new KEvent(EventType.NOTIFICATION, false);
  private volatile int currentLocation;
  private volatile boolean pendingReturned;
  private volatile boolean complete;

  KernelIrp(int stackCount, ProcessorMode requestorMode, byte[] systemBuffer) {
    if (stackCount < 1) {
      throw new IllegalArgumentException("stack count " + stackCount);
    }
    this.locations = new StackLocation[stackCount + 1];
    for (int i = 1; i <= stackCount; i++) {
      locations[i] = new StackLocation();
    }
    this.requestorMode = Objects.requireNonNull(requestorMode);
    this.systemBuffer = systemBuffer == null ? new byte[0] : systemBuffer;
    this.currentLocation = stackCount + 1;
  }

  /** The location the next {@code IoCallDriver} will make current: where a caller sets parameters. */
  StackLocation nextStackLocation() {
    int next = currentLocation - 1;
    if (next < 1) {
      throw new IllegalStateException("IRP has no stack location left (StackCount " + (locations.length - 1) + ")");
    }
    return locations[next];
  }

  /** {@code IoCallDriver}'s first step; false when no location is left (NT bug-checks). */
  boolean advance() {
    if (currentLocation - 1 < 1) {
      return false;
    }
    currentLocation--;
    return true;
  }

  @Override
  public IoStatusBlock ioStatus() {
    return ioStatus;
  }

  @Override
  public StackLocation currentStackLocation() {
    int current = currentLocation;
    if (current < 1 || current > locations.length - 1) {
      throw new IllegalStateException("no current stack location (CurrentLocation " + current + ")");
    }
    return locations[current];
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

  void setPendingReturned() {
    pendingReturned = true;
  }

  @Override
  public byte[] systemBuffer() {
    return systemBuffer;
  }

  /** Marks the request complete; false if it already was (a second completion). */
  boolean markComplete() {
    synchronized (this) {
      if (complete) {
        return false;
      }
      complete = true;
    }
    completed.set();
    return true;
  }

  boolean isComplete() {
    return complete;
  }

  /** Waits until the request is complete. */
  void awaitCompletion() {
    completed.await(null, false);
  }

  /** A stack location. Parameters are plain fields set by whoever builds or passes the request. */
  static final class StackLocation implements IoStackLocation {
    volatile int majorFunction;
    volatile int minorFunction;
    volatile DeviceObject deviceObject;
    volatile FileObject fileObject;
    volatile int desiredAccess;
    volatile int shareAccess;
    volatile int createOptions;
    volatile int length;
    volatile long byteOffset;
    volatile int ioControlCode;
    volatile int inputBufferLength;
    volatile int outputBufferLength;

    void copyFrom(StackLocation other) {
      majorFunction = other.majorFunction;
      minorFunction = other.minorFunction;
      fileObject = other.fileObject;
      desiredAccess = other.desiredAccess;
      shareAccess = other.shareAccess;
      createOptions = other.createOptions;
      length = other.length;
      byteOffset = other.byteOffset;
      ioControlCode = other.ioControlCode;
      inputBufferLength = other.inputBufferLength;
      outputBufferLength = other.outputBufferLength;
    }

    @Override
    public int majorFunction() {
      return majorFunction;
    }

    @Override
    public int minorFunction() {
      return minorFunction;
    }

    @Override
    public DeviceObject deviceObject() {
      return deviceObject;
    }

    @Override
    public FileObject fileObject() {
      return fileObject;
    }

    @Override
    public int desiredAccess() {
      return desiredAccess;
    }

    @Override
    public int shareAccess() {
      return shareAccess;
    }

    @Override
    public int createOptions() {
      return createOptions;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public long byteOffset() {
      return byteOffset;
    }

    @Override
    public int ioControlCode() {
      return ioControlCode;
    }

    @Override
    public int inputBufferLength() {
      return inputBufferLength;
    }

    @Override
    public int outputBufferLength() {
      return outputBufferLength;
    }
  }

  /** The {@code IO_STATUS_BLOCK}. */
  static final class StatusBlock implements IoStatusBlock {
    private volatile NtStatus status = NtStatus.STATUS_PENDING;
    private volatile long information;

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
  }
}
