package ntio.api;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import ntio.ddk.NtStatus;

/**
 * An overlapped request a client made: its id (what {@code NtCancelIoFileEx} names it by), what
 * the system service returned at once, and its completion.
 *
 * @param id the request's id, unique within the client process
 * @param status what NT's system service returned to the caller: {@code STATUS_PENDING} when the
 *     driver pended the request, else the dispatch routine's status (which may differ from the
 *     final status), or the status of a call refused at once
 * @param completion completes once the request is finished (or was refused at once) with the final
 *     status, the information and the data. Its {@link IoResult#ioStatusWritten()} says whether NT
 *     delivered a completion at all (wrote the status block, signalled the event, ran the APC):
 *     not for an error completed without pending, nor for a refused call
 */
public record PendingIo(long id, NtStatus status, CompletableFuture<IoResult> completion) {

  public PendingIo {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(completion, "completion");
  }
}
