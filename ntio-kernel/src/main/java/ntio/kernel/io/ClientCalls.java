package ntio.kernel.io;

import ntio.api.IoResult;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KThread;

/**
 * How a client's read, write, device control or file-information call is sent and given back:
 * synchronously ({@link #callAndWait}) or overlapped ({@link #start}), with what NT gives the
 * caller ({@link StatusBlockRules}). Driver code always runs with no kernel lock held.
 */
final class ClientCalls {

  private final IoManager io;
  private final Requests requests;
  private final OutstandingRequests outstanding;

  ClientCalls(IoManager io, Requests requests, OutstandingRequests outstanding) {
    this.io = io;
    this.requests = requests;
    this.outstanding = outstanding;
  }

  /**
   * A blocking call: builds the request, sends it, waits if it pends, and gives back the dispatch
   * routine's status unless it pended (then the final status). The status block follows the file
   * object's mode ({@link StatusBlockRules}): on a file for synchronous I/O ({@code
   * FO_SYNCHRONOUS_IO}) it is written only for a final status that is not an error; on any other
   * file an error the driver pended is written too, as the client waited for the completion of an
   * overlapped request (kernel32's GetOverlappedResult). A request is listed as outstanding (for cancels and rundown) only once its driver
   * returned STATUS_PENDING: one completed at once never was.
   */
  IoResult callAndWait(KThread thread, Handle handle, Transfer transfer) {
    return callAndWait(thread, handle, transfer, null);
  }

  /**
   * {@link #callAndWait(KThread, Handle, Transfer)}, where {@code refusal} (if not null) may first
   * refuse the request for the file object the handle names, before any IRP is built: a status it
   * returns is the call's, with the status block unwritten; null lets the request go on.
   */
  IoResult callAndWait(KThread thread, Handle handle, Transfer transfer,
      java.util.function.Function<KernelFileObject, NtStatus> refusal) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, transfer.access(), io.fileType, thread);
    if (!found.isSuccess()) {
      return IoResult.failed(found.status());
    }
    KernelFileObject file = found.object();
    IoRequest waiting = null;
    try {
      NtStatus refused = refusal == null ? null : refusal.apply(file);
      if (refused != null) {
        return IoResult.failed(refused);
      }
      Requests.Prepared prepared =
          requests.prepare(file.device(), true, transfer, file, thread.previousMode(), null);
      KernelIrp irp = prepared.irp();
      NtStatus returned = requests.callDriver(prepared.top(), irp);
      requests.settle(irp, returned);
      returnToCaller(transfer.major());
      if (!irp.isFinished()) {
        waiting = new IoRequest(transfer.major(), thread.process(), null);
        waiting.attach(irp);
        if (!outstanding.track(waiting)) {
          // The process's rundown has begun and will not see this request: cancel it as the
          // rundown would, and wait for the driver to complete it as any waiter does.
          waiting = null;
          requests.cancelIrp(irp);
        }
        irp.awaitFinished();
      }
      NtStatus finalStatus =
          prepared.buffers().finalStatus(irp.ioStatus().status(), irp.ioStatus().information());
      boolean written = StatusBlockRules.writesStatusBlock(finalStatus, irp.pendingReturned(),
          file.isSynchronousIo());
      long information = written ? irp.ioStatus().information() : 0;
      byte[] data = prepared.buffers().returned(finalStatus, irp.ioStatus().information());
      if (waiting != null) {
        outstanding.untrack(waiting);
        waiting.complete(finalStatus, information, data, written);
      }
      return new IoResult(StatusBlockRules.serviceStatus(returned, finalStatus, true), information,
          data, written, finalStatus);
    } finally {
      file.dereference();
    }
  }

  /**
   * An overlapped call: builds the request, sends it to the top of the file's stack and returns
   * it, pending or not, with what the system service returned ({@link IoRequest#returnedStatus()}).
   * On a file for synchronous I/O ({@code FO_SYNCHRONOUS_IO}) the service waits for a request that
   * pended and returns its final status, as NT's IopSynchronousServiceTail does whatever event the
   * caller passed; its status block follows that file's rules ({@link StatusBlockRules}).
   * The request holds the file object reference taken here until it is finished; its result is
   * delivered on a System worker.
   */
  IoRequest start(KThread thread, Handle handle, Transfer transfer,
      IoRequest.IoCompletion completion) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, transfer.access(), io.fileType, thread);
    if (!found.isSuccess()) {
      return IoRequest.refused(transfer.major(), thread.process(), found.status());
    }
    KernelFileObject file = found.object();
    IoRequest request = new IoRequest(transfer.major(), thread.process(), completion);
    KernelIrp irp;
    try {
      Requests.Prepared prepared = requests.prepare(file.device(), true, transfer, file, thread.previousMode(),
          buffers -> finished -> finishLater(finished, request, buffers));
      irp = prepared.irp();
      request.attach(irp);
      if (!outstanding.track(request)) {
        // The process is being run down: the request is refused before any driver sees it, as NT
        // refuses new I/O in a terminating process. Never sent, so never orphaned.
        file.dereference();
        return IoRequest.refused(transfer.major(), thread.process(),
            NtStatus.STATUS_PROCESS_IS_TERMINATING);
      }
      NtStatus returned = requests.callDriver(prepared.top(), irp);
      requests.settle(irp, returned);
      returnToCaller(transfer.major());
      if (file.isSynchronousIo() && !irp.isFinished()) {
        irp.awaitFinished();
      }
      request.setReturnedStatus(StatusBlockRules.serviceStatus(returned, irp.ioStatus().status(),
          file.isSynchronousIo()));
    } catch (RuntimeException | Error e) {
      // A bug check on the way: the request never reaches its sender.
      outstanding.untrack(request);
      file.dereference();
      throw e;
    }
    return request;
  }

  /**
   * The client's system service is about to wait for its request or return: a driver's routine
   * that left the client's thread raised (a dispatch or completion routine that did not lower, or
   * kept a spin lock) is bug check 0x4A {@code IRQL_GT_ZERO_AT_SYSTEM_SERVICE} naming the driver
   * ({@link ntio.kernel.ke.Irqls#checkReturnToCaller}). [MODEL] NT would meet the raised IRQL at
   * the service's wait for a pending request (0xA) or at its return to user mode (0x4A); ntio
   * checks once, before either, and raises 0x4A.
   */
  private void returnToCaller(int major) {
    if (!io.irqls.atPassive()) {
      io.irqls.checkReturnToCaller("the system service for " + ntio.ddk.MajorFunctions.name(major));
    }
  }

  /** An overlapped request finished: its result goes back on a System worker, as an APC would. */
  private void finishLater(KernelIrp irp, IoRequest request, Transfer.Buffers buffers) {
    NtStatus queued = io.workQueues.queue(WorkQueueType.CRITICAL,
        () -> finishRequest(irp, request, buffers));
    if (!queued.isSuccess()) {
      finishRequest(irp, request, buffers);
    }
  }

  /**
   * {@code IopCompleteRequest} for an overlapped call: copies a read's or device control's bytes
   * back, writes the status block unless NT would not ({@link StatusBlockRules#writesStatusBlock}:
   * an error completed without pending), drops the request's file object reference and runs the
   * APC when the block was written. Never inside a driver.
   */
  private void finishRequest(KernelIrp irp, IoRequest request, Transfer.Buffers buffers) {
    NtStatus status = buffers.finalStatus(irp.ioStatus().status(), irp.ioStatus().information());
    boolean written = StatusBlockRules.writesStatusBlock(status, irp.pendingReturned(),
        irp.originalFile().isSynchronousIo());
    long information = written ? irp.ioStatus().information() : 0;
    byte[] data = buffers.returned(status, irp.ioStatus().information());
    outstanding.untrack(request);
    try {
      irp.originalFile().dereference();
    } finally {
      request.complete(status, information, data, written);
    }
  }
}
