package ntio.kernel.io;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ntio.ddk.NtStatus;
import ntio.kernel.process.KProcess;

/**
 * A client's I/O call in flight: the {@code IO_STATUS_BLOCK} it gave, with the event and the APC
 * of an overlapped call. Models {@code IO_STATUS_BLOCK} plus the user event and user APC of
 * {@code NtReadFile}, {@code NtWriteFile} and {@code NtDeviceIoControlFile} (partial: the APC is
 * {@link IoCompletion}, which runs on a System worker rather than in the issuing thread).
 *
 * <p>{@link #returnedStatus()} is what the system service returned to the caller. {@link
 * #status()} is {@code STATUS_PENDING} until the request completes; then the final status, {@link
 * #information()}, {@link #ioStatusWritten()} and, for a read or a device control, {@link #data()}
 * are set once and never change. As in NT, an error completed without pending writes no status
 * block, signals nothing and runs no APC ({@link StatusBlockRules}); {@link #await} and {@link
 * #outcome()} still report that the request is finished. Thread-safe.
 */
public final class IoRequest {

  /**
   * What runs once an asynchronous request completes: the user APC of an overlapped call. It runs
   * on a System worker, never inside a driver. It must not throw; what it throws is kept in
   * {@link #completionFailure()} and goes no further.
   */
  @FunctionalInterface
  public interface IoCompletion {
    void completed(IoRequest request);
  }

  private static final byte[] NO_DATA = new byte[0];

  private final int majorFunction;
  private final KProcess process;
  private final IoCompletion completion;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile KernelIrp irp;
  private volatile NtStatus status = NtStatus.STATUS_PENDING;
  private volatile long information;
  private volatile byte[] data = NO_DATA;
  private volatile Throwable completionFailure;
  private volatile NtStatus returnedStatus = NtStatus.STATUS_PENDING;
  private volatile boolean ioStatusWritten;
  private final CompletableFuture<IoRequest> outcome = new CompletableFuture<>();

  IoRequest(int majorFunction, KProcess process, IoCompletion completion) {
    this.majorFunction = majorFunction;
    this.process = process;
    this.completion = completion;
  }

  /**
   * A call refused before any request was sent (by the I/O manager's checks, or by the system
   * service gate of a kernel shutting down): complete at once with {@code status}, and no APC
   * runs.
   */
  public static IoRequest refused(int majorFunction, KProcess process, NtStatus status) {
    IoRequest request = new IoRequest(majorFunction, process, null);
    request.status = status;
    request.returnedStatus = status;
    request.done.countDown();
    request.outcome.complete(request);
    return request;
  }

  /** {@code IoStatus.Status}: STATUS_PENDING while the request is outstanding. */
  public NtStatus status() {
    return status;
  }

  /**
   * What the system service returned to the caller: {@code STATUS_PENDING} when the driver pended
   * the request, else the dispatch routine's status (which may differ from the final {@link
   * #status()}), or the status of a call refused at once.
   */
  public NtStatus returnedStatus() {
    return returnedStatus;
  }

  /**
   * Whether NT wrote the caller's status block, signalled its event and queued its APC: false
   * until the request completes, and for an error completed without pending or a refused call.
   */
  public boolean ioStatusWritten() {
    return ioStatusWritten;
  }

  /**
   * Completes with this request once it is finished, whether NT signals it or not ({@link
   * #ioStatusWritten()} tells): how a caller that made the request learns it is over. Callbacks
   * run on the finishing thread, often a System worker, and must not block.
   */
  public CompletionStage<IoRequest> outcome() {
    return outcome.minimalCompletionStage();
  }

  /** {@code IoStatus.Information} as written to the status block; 0 when it was not. */
  public long information() {
    return information;
  }

  /**
   * The bytes a read or a device control returned (a copy of the first {@code Information} bytes
   * of the system buffer); empty for other requests and for errors.
   */
  public byte[] data() {
    return data.clone();
  }

  /** Whether the request has completed. */
  public boolean isComplete() {
    return done.getCount() == 0;
  }

  /** The major function ({@code IRP_MJ_*}) of the request. */
  public int majorFunction() {
    return majorFunction;
  }

  /** The process that made the call. */
  public KProcess process() {
    return process;
  }

  /** What the {@link IoCompletion} threw, or null. */
  public Throwable completionFailure() {
    return completionFailure;
  }

  /**
   * Waits until the request completes or {@code timeout} passes. Models waiting on the call's event
   * (a non-alertable {@code KeWaitForSingleObject}).
   *
   * @return whether it completed
   */
  public boolean await(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          // A non-alertable wait: an interrupt does not end it, and is restored afterwards.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits, however long it takes, until the request completes; its final status. */
  public NtStatus awaitCompletion() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          done.await();
          return status;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  KernelIrp irp() {
    return irp;
  }

  void attach(KernelIrp sent) {
    this.irp = sent;
  }

  boolean hasCompletion() {
    return completion != null;
  }

  void setReturnedStatus(NtStatus returned) {
    this.returnedStatus = Objects.requireNonNull(returned, "returned");
  }

  /**
   * Sets the final result once and releases waiters; then runs the APC, if there is one and NT
   * wrote the status block ({@code written}).
   */
  void complete(NtStatus finalStatus, long finalInformation, byte[] finalData, boolean written) {
    this.information = finalInformation;
    this.data = finalData.length == 0 ? NO_DATA : finalData;
    this.ioStatusWritten = written;
    this.status = finalStatus;
    done.countDown();
    outcome.complete(this);
    if (completion != null && written) {
      try {
        completion.completed(this);
      } catch (Throwable e) {
        completionFailure = e;
      }
    }
  }

  @Override
  public String toString() {
    return "IoRequest[" + ntio.ddk.MajorFunctions.name(majorFunction) + ", " + status + "]";
  }
}
