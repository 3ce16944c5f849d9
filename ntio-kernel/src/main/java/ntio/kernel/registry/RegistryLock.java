package ntio.kernel.registry;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import ntio.ddk.NtStatus;
import org.h2.mvstore.MVStoreException;

/**
 * The registry lock of one hive (NT's {@code CmpRegistryLock}) and the one place its calls begin
 * and end: take the lock, check that the hive can be used, run the call, then commit its change or
 * roll it back, and turn a failure of the store into a status. Every call of {@link Hive} goes
 * through {@link #read} or {@link #change}; a batch ({@code .reg} import) holds the lock from
 * {@link #beginBatch} to {@link #endBatch} and commits once at its end.
 *
 * <p>Thread-safe. The calls it runs may use the stores (and the classes that wrap them) freely:
 * they run under the lock. No callback of anyone else's ever runs under it.
 */
final class RegistryLock {

  /*
   * Implementation notes.
   *
   * Every change ends in finishLocked: commit on success (stable store first, then volatile),
   * rollback of both stores on failure, so a failed call leaves no trace. A store that throws
   * (MVStoreException: a full disk, an I/O error) ends the call in abortLocked instead.
   *
   * The lock is exclusive, where NT's is a shared/exclusive resource: queries are short, and Error
   * Prone's @GuardedBy analysis proves every access to a field guarded by a plain lock but does not
   * check fields guarded by a ReadWriteLock.
   */

  private final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  private final HiveFile stable;

  @GuardedBy("lock")
  private final CellStore volatileCells;

  /** Set once by {@link #close}; every call then answers {@code STATUS_KEY_DELETED}. */
  @GuardedBy("lock")
  private boolean closed;

  /**
   * Set once by {@link #seal} when the kernel halts; never cleared. Every change then rolls back in
   * {@link #finishLocked}, the one place changes are committed.
   */
  @GuardedBy("lock")
  private boolean sealed;

  /**
   * Why the batch in progress failed in the store, or null: its earlier changes are gone, so every
   * later call of the batch, and its end, answer this status.
   */
  @GuardedBy("lock")
  private NtStatus batchFailure;

  /** Whether a batch holds the lock: changes then commit at the batch's end only. */
  @GuardedBy("lock")
  private boolean inBatch;

  RegistryLock(HiveFile stable, CellStore volatileCells) {
    this.stable = stable;
    this.volatileCells = volatileCells;
  }

  /**
   * Runs a query under the lock.
   *
   * @param failed the answer for a status that is not a success
   * @return the reader's answer; {@code failed} of {@code STATUS_KEY_DELETED} after {@link
   *     #close}, of the failed batch's status, of {@code STATUS_REGISTRY_IO_FAILED} if the store
   *     cannot be read
   */
  <T> T read(Function<NtStatus, T> failed, Supplier<T> reader) {
    lock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return failed.apply(usable);
      }
      return reader.get();
    } catch (MVStoreException e) {
      return failed.apply(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a change under the lock and commits it if its status is a success, else drops all of it;
   * inside a batch both are left to the batch's end.
   *
   * @param failed the answer for a status that is not a success
   * @param statusOf the status of the change's answer
   * @return the change's answer; or {@code failed} of: the status that refused the call (as for
   *     {@link #read}); {@code STATUS_SYSTEM_SHUTDOWN} for a change dropped because the hive is
   *     sealed; {@code STATUS_DISK_FULL} or {@code STATUS_REGISTRY_IO_FAILED} if the store failed
   *     (and nothing of the change was kept)
   */
  <T> T change(Function<NtStatus, T> failed, Function<T, NtStatus> statusOf, Supplier<T> change) {
    lock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return failed.apply(usable);
      }
      T result = change.get();
      NtStatus status = statusOf.apply(result);
      NtStatus finished = finishLocked(status);
      return finished.equals(status) ? result : failed.apply(finished);
    } catch (MVStoreException e) {
      return failed.apply(abortLocked(e));
    } finally {
      lock.unlock();
    }
  }

  /** Runs a change whose answer is its status; as {@link #change(Function, Function, Supplier)}. */
  NtStatus change(Supplier<NtStatus> change) {
    return change(Function.identity(), Function.identity(), change);
  }

  /**
   * Forces every committed change to the device.
   *
   * @return {@code STATUS_SUCCESS}; a status that refused the call (as for {@link #read}); {@code
   *     STATUS_DISK_FULL} or {@code STATUS_REGISTRY_IO_FAILED}
   */
  NtStatus flush() {
    lock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      stable.flush();
      return NtStatus.STATUS_SUCCESS;
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs the reader under the lock with no check of the hive's state, so that it sees one
   * consistent registry.
   */
  <T> T locked(Supplier<T> reader) {
    lock.lock();
    try {
      return reader.get();
    } finally {
      lock.unlock();
    }
  }

  /** Closes both stores (idempotent); every later call answers {@code STATUS_KEY_DELETED}. */
  void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      stable.close();
      volatileCells.closeImmediately();
    } finally {
      lock.unlock();
    }
  }

  /** Seals the hive (idempotent): every later change is dropped. Waits for a change in progress. */
  void seal() {
    lock.lock();
    try {
      sealed = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the lock and starts a batch: the changes of this thread commit together at {@link
   * #endBatch}, or not at all.
   *
   * @throws IllegalStateException if this thread is in a batch already (the lock is not kept)
   */
  void beginBatch() {
    lock.lock();
    boolean started = false;
    try {
      if (inBatch) {
        throw new IllegalStateException("batches do not nest");
      }
      inBatch = true;
      started = true;
    } finally {
      if (!started) {
        lock.unlock();
      }
    }
  }

  /**
   * Ends the batch and releases the lock: a successful outcome commits every change made in the
   * batch, a failed one drops them all.
   *
   * @return {@code STATUS_SUCCESS} if the changes were committed; the outcome itself if it was a
   *     failure; {@code STATUS_DISK_FULL} or {@code STATUS_REGISTRY_IO_FAILED} if the hive file
   *     failed during the batch or its commit (and nothing of the batch was kept)
   * @throws IllegalStateException if this thread began no batch
   */
  NtStatus endBatch(NtStatus outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (!lock.isHeldByCurrentThread()) {
      throw new IllegalStateException("endBatch without beginBatch");
    }
    try {
      if (!inBatch) {
        throw new IllegalStateException("endBatch without beginBatch");
      }
      inBatch = false;
      if (batchFailure != null) {
        // The store failed during the batch: what the batch changed before is gone already.
        NtStatus failed = batchFailure;
        batchFailure = null;
        rollbackLocked();
        return failed;
      }
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      return finishLocked(outcome);
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private NtStatus usableLocked() {
    if (closed) {
      return NtStatus.STATUS_KEY_DELETED;
    }
    if (batchFailure != null) {
      return batchFailure;
    }
    if (!stable.usable()) {
      return NtStatus.STATUS_REGISTRY_IO_FAILED;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Ends a change: commit on success, roll back both stores on failure; inside a batch, leave both
   * to the batch's end. Returns the status unchanged, or {@code STATUS_SYSTEM_SHUTDOWN} for a
   * change dropped because the hive is sealed ({@link #seal}); a store failure throws instead.
   */
  @GuardedBy("lock")
  private NtStatus finishLocked(NtStatus status) {
    if (inBatch) {
      return status;
    }
    if (sealed && status.isSuccess()) {
      // The kernel halted: the halt is final, whoever reached the hive (a driver that caught the
      // bug check, a call already past every gate). The change is dropped, not half-kept.
      status = NtStatus.STATUS_SYSTEM_SHUTDOWN;
    }
    if (!status.isSuccess()) {
      stable.cells().rollback();
      volatileCells.rollback();
      return status;
    }
    boolean written = stable.commit();
    volatileCells.commit();
    if (written) {
      stable.committed();
    }
    return status;
  }

  /**
   * A store call threw: drop the uncommitted change and let the file deal with the failure (it
   * logs it and reopens a store that gave up). Inside a batch, the batch has failed as a whole.
   *
   * @return {@code STATUS_DISK_FULL} if the device is full, else {@code STATUS_REGISTRY_IO_FAILED}
   */
  @GuardedBy("lock")
  private NtStatus abortLocked(MVStoreException failure) {
    rollbackLocked();
    NtStatus status = stable.writeFailed(failure);
    if (inBatch) {
      batchFailure = status;
    }
    return status;
  }

  /** Drops the uncommitted changes of both stores, as far as a failing store still allows. */
  @GuardedBy("lock")
  private void rollbackLocked() {
    stable.rollback();
    volatileCells.rollback();
  }
}
