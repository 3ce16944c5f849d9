package ntio.host.api;

import java.util.concurrent.CompletableFuture;
import ntio.kernel.io.Requests.IoResult;

/**
 * An overlapped request a client made: its id (what {@code NtCancelIoFileEx} names it by) and its
 * completion, which holds the final status, the information and the data read.
 *
 * @param id the request's id, unique within the client process
 * @param completion completes when the driver completes the request (or it was refused at once)
 */
public record PendingIo(long id, CompletableFuture<IoResult> completion) {}
