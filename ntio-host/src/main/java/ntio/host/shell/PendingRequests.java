package ntio.host.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import ntio.api.PendingIo;
import ntio.ddk.Handle;

/**
 * The overlapped requests the shell reported as {@code STATUS_PENDING} and has not yet reported
 * complete. Requests complete on whatever thread completes their IRP (a writer's, a canceller's, a
 * driver's own), so the list is guarded; each completed request is taken exactly once, by whichever
 * thread reports it first.
 */
final class PendingRequests {

  /**
   * One outstanding request.
   *
   * @param io the request's id and completion
   * @param handle the handle it was made on
   * @param description what it was, for the report, for example {@code read e 5}
   * @param kind how its result prints
   */
  record Request(PendingIo io, Handle handle, String description, ShellSession.Kind kind) {
    long id() {
      return io.id();
    }

    boolean isDone() {
      return io.completion().isDone();
    }
  }

  private final Object lock = new Object();

  /**
   * In the order issued (ids increase). Guarded by {@link #lock} (written as a comment: the host
   * does not carry Error Prone's annotations).
   */
  private final List<Request> outstanding = new ArrayList<>();

  /** Adds a request that is still pending. */
  void add(Request request) {
    synchronized (lock) {
      outstanding.add(request);
    }
  }

  /** Removes and returns the requests that have completed, oldest first. */
  List<Request> takeCompleted() {
    synchronized (lock) {
      List<Request> done = new ArrayList<>();
      outstanding.removeIf(request -> {
        if (request.isDone()) {
          done.add(request);
          return true;
        }
        return false;
      });
      return done;
    }
  }

  /** The requests not yet reported, oldest first; those on {@code handle} only, unless it is null. */
  List<Request> outstanding(Handle handle) {
    synchronized (lock) {
      return outstanding.stream().filter(r -> handle == null || r.handle().equals(handle)).toList();
    }
  }

  /**
   * Waits until the requests outstanding on {@code handle} (every request, if null) have completed,
   * or {@code timeout} has passed.
   *
   * @return whether all of them completed
   */
  boolean await(Handle handle, Duration timeout) throws InterruptedException {
    return await(outstanding(handle), timeout);
  }

  /**
   * Waits until the outstanding request {@code id} has completed, or {@code timeout} has passed.
   *
   * @return whether it completed (true also when no such request is outstanding)
   */
  boolean awaitRequest(long id, Duration timeout) throws InterruptedException {
    return await(outstanding(null).stream().filter(request -> request.id() == id).toList(), timeout);
  }

  private static boolean await(List<Request> requests, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Request request : requests) {
      CompletableFuture<?> completion = request.io().completion();
      long left = deadline - System.nanoTime();
      try {
        completion.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        // Completed, exceptionally: the report says how.
      }
    }
    return true;
  }
}
