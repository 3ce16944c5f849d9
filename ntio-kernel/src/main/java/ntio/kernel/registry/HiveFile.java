package ntio.kernel.registry;

import ntio.api.KeyInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import ntio.ddk.NtStatus;
import ntio.hostfs.HostFiles;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * The stable storage of a hive and its file: creating and opening the file, committing with the
 * lazy flush, forcing it to the device, giving up and opening it again after a write failure, and
 * closing it. Models {@code CmpInitializeHive} for a file-backed hive, {@code CmpLazyFlush} and the
 * hive writer's recovery (partial). Also the stable id counter, as it must outlive the store it is
 * replaced with.
 *
 * <p>Not thread-safe: confined to the holder of the registry lock ({@link RegistryLock}).
 */
final class HiveFile {

  /*
   * Implementation notes.
   *
   * The stable store (a file, or memory for Hive.openInMemory) is replaced only by reopen(), after
   * MVStore gave up on a write failure (it closes itself): the new one is opened from the file,
   * which holds every committed change.
   *
   * The lazy flusher (CmpLazyFlush) runs on the writing thread: after 1000 commits or 5 seconds,
   * whichever comes first, the next commit also compacts and forces the file.
   */

  /** The hive file; null for a hive in memory. */
  private final Path file;

  private final HiveFailures failures;

  /** The stable store. Replaced only by {@link #reopen}, opened afresh from the file. */
  private CellStore cells;

  /** The id the next stable key gets; above every stable id this hive ever issued. */
  private long nextId;

  /**
   * Set when the file store gave up and could not be opened again; cleared when it is. While set,
   * every call first tries to reopen the file and answers {@code REGISTRY_IO_FAILED} if it cannot.
   */
  private boolean ioFailed;

  private int commitsSinceFlush;

  private long lastFlushNanos;

  private HiveFile(CellStore cells, Path file) {
    this.cells = cells;
    this.file = file;
    this.failures = new HiveFailures(file == null ? "(in memory)" : file.toString());
    this.nextId = Math.max(Hive.ROOT_ID, cells.highestKeyId()) + 1;
    this.lastFlushNanos = System.nanoTime();
  }

  /**
   * Opens the hive file, creating it with only the root key if it does not exist.
   *
   * @throws MVStoreException if the file is not a hive or cannot be read, written or locked (see
   *     {@link #statusOfOpenFailure}); nothing is left open
   * @throws IOException if the file cannot be created
   * @implNote A new file is built under a temporary name and renamed into place, so a crash while
   *     creating it leaves no half-made hive behind.
   */
  static HiveFile open(Path file) throws IOException {
    if (!Files.exists(file)) {
      createFile(file);
    }
    return new HiveFile(CellStore.openFile(file), file);
  }

  /** Stable storage in memory, with no file. */
  static HiveFile inMemory() {
    return new HiveFile(CellStore.inMemory(), null);
  }

  /** The status of a failed {@link #open}. */
  static NtStatus statusOfOpenFailure(MVStoreException e) {
    return switch (e.getErrorCode()) {
      case DataUtils.ERROR_FILE_CORRUPT,
          DataUtils.ERROR_UNSUPPORTED_FORMAT,
          DataUtils.ERROR_CHUNK_NOT_FOUND,
          DataUtils.ERROR_SERIALIZATION ->
          NtStatus.STATUS_REGISTRY_CORRUPT;
      default -> NtStatus.STATUS_REGISTRY_IO_FAILED;
    };
  }

  private static void createFile(Path file) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(temporary);
    // MVStore would create the file with the umask's mode; an empty file it finds is a new store,
    // so making it here gives the hive 0600 from its first byte.
    HostFiles.createFile(temporary, HostFiles.PRIVATE_FILE);
    CellStore cells = CellStore.openFile(temporary);
    try {
      putRoot(cells, Clock.systemUTC());
      cells.commit();
      cells.flush();
    } finally {
      cells.close();
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file);
    }
    Path directory = file.toAbsolutePath().getParent();
    if (directory != null) {
      try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        // Some file systems cannot force a directory; the rename is then as durable as they allow.
      }
    }
  }

  /** Stores the root key {@code \REGISTRY} unless the store has it; does not commit. */
  static void putRoot(CellStore cells, Clock clock) {
    if (cells.key(Hive.ROOT_ID) == null) {
      cells.putKey(
          Hive.ROOT_ID,
          KeyCell.create(
              0, Hive.ROOT_NAME, KeyCell.FLAG_NO_DELETE, KeyInfo.toFileTime(clock.instant())));
    }
  }

  /** The stable store as it is now; a reopening replaces it. */
  CellStore cells() {
    return cells;
  }

  /** Gives out the next stable id; never one issued before, even across a reopening. */
  long issueId() {
    return nextId++;
  }

  /** Whether this hive issued the stable id. */
  boolean issued(long keyId) {
    return keyId >= Hive.ROOT_ID && keyId < nextId;
  }

  /**
   * Whether the hive can be used: true unless the store gave up and cannot be opened again (each
   * call tries once more).
   */
  boolean usable() {
    return !ioFailed || reopen();
  }

  /** Commits the stable store; whether anything was written. */
  boolean commit() {
    return cells.commit();
  }

  /**
   * After a commit that wrote: ends a failure streak and, every 1000 commits or 5 seconds, forces
   * the file. A failure of that forcing is logged and does not fail the call, whose change is in
   * the file already.
   */
  void committed() {
    failures.writeSucceeded();
    if (!cells.isPersistent()) {
      return;
    }
    commitsSinceFlush++;
    if (commitsSinceFlush >= Hive.LAZY_FLUSH_COMMITS
        || System.nanoTime() - lastFlushNanos >= Hive.LAZY_FLUSH_INTERVAL_NANOS) {
      try {
        flush();
      } catch (MVStoreException e) {
        // The change is committed (written to the file) already; only the forcing failed. The
        // call succeeded; the store is reopened if it gave up, and the next flush tries again.
        failures.writeFailed(e, "a lazy flush");
        if (cells.isClosed()) {
          reopen();
        }
      }
    }
  }

  /** Compacts a little, commits and forces the file to the device; a no-op in memory. */
  void flush() {
    cells.flush();
    commitsSinceFlush = 0;
    lastFlushNanos = System.nanoTime();
  }

  /** Drops the uncommitted changes, as far as a failing store still allows. */
  void rollback() {
    try {
      if (!cells.isClosed()) {
        cells.rollback();
      }
    } catch (MVStoreException secondFailure) {
      // The store is failing already; the caller reports it.
    }
  }

  /**
   * A change failed in the store (its uncommitted part is rolled back already): logs it and, if
   * the file store gave up (MVStore closes itself on a write failure), opens it again from the
   * file, which holds every committed change: reads go on at once, and writes succeed again once
   * the file can be written.
   *
   * @return {@code STATUS_DISK_FULL} if the device is full, else {@code STATUS_REGISTRY_IO_FAILED}
   */
  NtStatus writeFailed(MVStoreException failure) {
    NtStatus status = failures.writeFailed(failure, "a change");
    if (cells.isClosed()) {
      ioFailed = true;
      reopen();
    }
    return status;
  }

  /**
   * Replaces a file store that gave up with one opened afresh from the file. Models the recovery
   * NT's lazy writer makes once a hive can be written again (partial: NT keeps the dirty hive in
   * memory; here the uncommitted change was dropped and its call failed).
   *
   * @return whether the hive is usable again
   */
  private boolean reopen() {
    if (file == null) {
      return !cells.isClosed();
    }
    try {
      cells.closeImmediately();
    } catch (RuntimeException e) {
      // It failed already; all that matters is that it lets go of the file.
    }
    try {
      cells = CellStore.openFile(file);
    } catch (RuntimeException e) {
      failures.reopenFailed(e);
      ioFailed = true;
      return false;
    }
    ioFailed = false;
    // Ids issued before the failure are never issued again, committed or not.
    nextId = Math.max(nextId, cells.highestKeyId() + 1);
    commitsSinceFlush = 0;
    lastFlushNanos = System.nanoTime();
    failures.reopened();
    return true;
  }

  /**
   * Flushes and closes the store. A failure is not reported: every acknowledged change is already
   * in the file, so nothing that was promised is lost.
   */
  void close() {
    try {
      if (!ioFailed) {
        cells.flush();
      }
      cells.close();
    } catch (MVStoreException e) {
      cells.closeImmediately();
    }
  }

  /** Lets go of the file at once, without a flush: after a failed open. */
  void closeImmediately() {
    cells.closeImmediately();
  }
}
