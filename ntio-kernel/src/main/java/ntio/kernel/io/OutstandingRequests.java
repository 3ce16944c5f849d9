package ntio.kernel.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ntio.ddk.DeviceObject;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;

/**
 * The client requests not yet finished, by process (NT's per-thread IRP lists), and what cancels
 * them: {@code NtCancelIoFile(Ex)} and process rundown. A client request is listed under its
 * process's rundown lock before any driver sees it ({@link #track}), so the rundown either finds
 * and cancels it or the request is refused with {@code STATUS_PROCESS_IS_TERMINATING}.
 */
final class OutstandingRequests {

  /** How long cancelling a process's or a file's requests waits for drivers to complete them. */
  static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(10);

  private final IoManager io;
  private final Requests requests;

  /** Client requests not yet finished, by process: NT's per-thread IRP lists. */
  private final ConcurrentHashMap<KProcess, Set<IoRequest>> outstanding = new ConcurrentHashMap<>();

  /** Processes whose rundown hook is registered. */
  private final Set<KProcess> hooked = ConcurrentHashMap.newKeySet();

  /** Requests a rundown or cancel gave up waiting for: cancelled, never completed. */
  private final Set<IoRequest> abandoned = ConcurrentHashMap.newKeySet();

  private volatile Duration cancelWait = DEFAULT_CANCEL_WAIT;

  OutstandingRequests(IoManager io, Requests requests) {
    this.io = io;
    this.requests = requests;
  }

  /** Sets how long cancels and rundowns wait for drivers to complete cancelled requests. */
  void setCancelWait(Duration wait) {
    this.cancelWait = Objects.requireNonNull(wait, "wait");
  }

  /**
   * {@code NtCancelIoFile}: cancels every outstanding request the calling process made on the
   * handle's file object and waits (bounded) until they are completed. Models {@code
   * NtCancelIoFile} (partial: ntio's client threads are their process, so "the calling thread's
   * requests" are the process's).
   *
   * @return {@code STATUS_SUCCESS}, or the handle's status
   */
  NtStatus ntCancelIoFile(KThread thread, Handle handle) {
    return cancelFileRequests(thread, handle, null);
  }

  /**
   * {@code NtCancelIoFileEx}: cancels one request the process made on the handle's file object,
   * or all of them when {@code request} is null, and waits (bounded) until they are completed.
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_NOT_FOUND} when no such request is outstanding;
   *     or the handle's status
   */
  NtStatus ntCancelIoFileEx(KThread thread, Handle handle, IoRequest request) {
    return cancelFileRequests(thread, handle, request);
  }

  private NtStatus cancelFileRequests(KThread thread, Handle handle, IoRequest only) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return found.status();
    }
    KernelFileObject file = found.object();
    try {
      List<IoRequest> chosen = new ArrayList<>();
      for (IoRequest request : outstandingOf(thread.process())) {
        KernelIrp irp = request.irp();
        if (irp != null && irp.originalFile() == file && (only == null || only == request)) {
          chosen.add(request);
        }
      }
      if (chosen.isEmpty()) {
        return only == null ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_NOT_FOUND;
      }
      cancelAndWait(chosen);
      return NtStatus.STATUS_SUCCESS;
    } finally {
      file.dereference();
    }
  }

  /**
   * Process rundown: cancels every outstanding request of the process and waits, bounded, for the
   * drivers to complete them. Models {@code IoCancelThreadIo} for each thread (partial: the bound
   * is {@link #DEFAULT_CANCEL_WAIT}, not five minutes). A request still outstanding afterwards is
   * kept in {@link #abandoned()}: its driver never completed a cancelled request.
   */
  void rundown(KProcess process) {
    hooked.remove(process);
    cancelAndWait(outstandingOf(process));
  }

  private void cancelAndWait(List<IoRequest> chosen) {
    for (IoRequest request : chosen) {
      KernelIrp irp = request.irp();
      if (irp != null && !irp.isFinished()) {
        requests.cancelIrp(irp);
      }
    }
    if (!io.irqls.atPassive()) {
      // A cancel routine kept the cancel spin lock (or did not lower): the canceller is the
      // client's call (NtCancelIoFile) or its process's end, and returns to it raised.
      io.irqls.checkReturnToCaller("NtCancelIoFile (or the process's rundown)");
    }
    long deadline = System.nanoTime() + cancelWait.toNanos();
    List<IoRequest> late = new ArrayList<>();
    for (IoRequest request : chosen) {
      long left = deadline - System.nanoTime();
      if (!request.await(Duration.ofNanos(Math.max(0, left)))) {
        abandoned.add(request);
        late.add(request);
      }
    }
    late.forEach(this::verifyCancelCompleted);
  }

  /**
   * I/O verification (0x10) of the driver holding a cancelled request it did not complete in
   * time: bug check 0xC4 with P1 {@link Requests#CANCELLED_IRP_NOT_COMPLETED}, P2 the IRP. The bug check
   * halts the kernel but does not escape: the rundown that waited goes on.
   */
  private void verifyCancelCompleted(IoRequest request) {
    KernelIrp irp = request.irp();
    if (irp == null || irp.isFinished()) {
      return;
    }
    DeviceObject holder;
    try {
      holder = irp.currentStackLocation().deviceObject();
    } catch (IllegalStateException notInADriver) {
      return;
    }
    if (holder instanceof KernelDeviceObject device
        && device.driver().services() instanceof ImageServices services
        && services.verified() != null && services.verified().verifiesIo()) {
      try {
        throw io.bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, Requests.CANCELLED_IRP_NOT_COMPLETED,
            System.identityHashCode(irp), 0, 0, services.driverName(), device.describe()
                + " holds a cancelled IRP (major function " + irp.currentStackLocation().majorFunction()
                + ") it did not complete within " + cancelWait.toMillis() + " ms (I/O verification)");
      } catch (ntio.kernel.executive.BugCheckException halted) {
        // The kernel is halted; the rundown that waited finishes.
      }
    }
  }

  /**
   * Requests that were cancelled and not completed within the wait: what the verifier reports as
   * a driver never completing a cancelled request. A snapshot.
   */
  List<IoRequest> abandoned() {
    return List.copyOf(abandoned);
  }

  /** The process's outstanding client requests: a snapshot. */
  List<IoRequest> outstandingOf(KProcess process) {
    Set<IoRequest> requests = outstanding.get(process);
    return requests == null ? List.of() : List.copyOf(requests);
  }

  /**
   * Lists a request as outstanding for its process, and hooks the process's rundown on its first
   * request, both under the process's rundown lock ({@link KProcess#whileRunning}): a request
   * tracked here is in the snapshot {@link #rundown} takes, or is refused because the rundown has
   * begun. Never both, never neither — what keeps a request from escaping its process's rundown.
   *
   * @return whether it was tracked; false once the process is terminating
   */
  boolean track(IoRequest request) {
    KProcess process = request.process();
    return process.whileRunning(() -> {
      outstanding.computeIfAbsent(process, p -> ConcurrentHashMap.newKeySet()).add(request);
      if (hooked.add(process)) {
        process.onRundown(this::rundown);
      }
    });
  }

  /** Takes a request off its process's list, and off the abandoned ones: it is finished. */
  void untrack(IoRequest request) {
    abandoned.remove(request);
    outstanding.computeIfPresent(request.process(), (p, list) -> {
      list.remove(request);
      return list.isEmpty() ? null : list;
    });
  }
}
