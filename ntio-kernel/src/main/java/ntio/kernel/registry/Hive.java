package ntio.kernel.registry;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import ntio.api.KeyInfo;
import ntio.api.KeyInfoResult;
import ntio.api.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.kernel.security.HostFiles;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * The whole {@code \REGISTRY} tree of one kernel: keys with stable numeric ids, typed values,
 * volatile keys and registry links. The storage layer of the configuration manager (NT prefix
 * {@code Cm}); the object manager's Key objects hold the ids this class hands out.
 *
 * <p>Stable (persistent) keys live in one MVStore file, volatile keys ({@code REG_OPTION_VOLATILE})
 * in memory only: they are gone when the hive is closed and opened again. A key's id never changes
 * while the hive is open and is never reused; once the key is deleted, every call on its id answers
 * {@code STATUS_KEY_DELETED}, and so does every call after {@link #close()} (NT answers so for the
 * keys of an unloaded hive).
 *
 * <p>Names keep their case; lookups compare upcased names (see {@code RtlUpcaseUnicodeChar}). A key
 * name component has 1 to 255 characters and no {@code \}; a value name at most 16383 characters;
 * value data at most 1 MiB; a key lies at most 511 levels deep, counting {@code \REGISTRY} as 1.
 * Trees are walked with explicit stacks, never by recursion, so a deeper tree left by an older hive
 * can still be exported and deleted.
 *
 * <p><b>Durability</b>: a call that changes the registry returns only after its change is written
 * to the hive file as one atomic commit; if the process is killed at any instant, reopening the
 * file finds every change whose call returned. {@link #flush()} also forces the file to the device.
 *
 * <p><b>Write failures</b> (a full disk, an I/O error): the failing call changes nothing and answers
 * {@code STATUS_DISK_FULL} or {@code STATUS_REGISTRY_IO_FAILED}; the failure is logged at {@code
 * ERROR} (logger {@code ntio.kernel.registry.Hive}). The file store is then opened again from the
 * file, so reads go on at once and writes succeed again as soon as the file can be written.
 *
 * <p>Thread-safe: one registry lock (NT's {@code CmpRegistryLock}) serializes every call; no
 * callback ever runs under it.
 */
public final class Hive implements AutoCloseable {

  /*
   * Implementation notes.
   *
   * Two CellStores: the stable one (a file, or memory for openInMemory) and the volatile one
   * (always memory). A key's id says which store holds it: stable ids count up from 1 (the root),
   * volatile ids from 2^62. Each counter starts above every id ever issued by this instance, so an
   * id that is absent but below its counter was deleted (STATUS_KEY_DELETED), and one at or above
   * it was never issued here (a bug in the caller). Stable ids may repeat across reopenings, which
   * is harmless: no Key object outlives its kernel.
   *
   * Every call runs under the registry lock, and every change ends in finishLocked: commit on
   * success (stable store first, then volatile), rollback of both stores on failure, so a failed
   * call leaves no trace. A batch (RegFile import) holds the lock across many calls and commits or
   * rolls back once at the end.
   *
   * The lock is exclusive, where NT's is a shared/exclusive resource: queries are short, and Error
   * Prone's @GuardedBy analysis proves every access to a field guarded by a plain lock but does not
   * check fields guarded by a ReadWriteLock.
   *
   * The lazy flusher (CmpLazyFlush) runs on the writing thread: after 1000 commits or 5 seconds,
   * whichever comes first, the next commit also compacts and forces the file.
   */

  /** {@code REG_OPTION_VOLATILE}: the key lives in memory only. */
  public static final int REG_OPTION_VOLATILE = 0x1;

  /** {@code REG_OPTION_CREATE_LINK}: the key is a registry link. */
  public static final int REG_OPTION_CREATE_LINK = 0x2;

  /** {@code REG_CREATED_NEW_KEY}: the disposition of a create that made the key. */
  public static final int REG_CREATED_NEW_KEY = 1;

  /** {@code REG_OPENED_EXISTING_KEY}: the disposition of a create that found the key. */
  public static final int REG_OPENED_EXISTING_KEY = 2;

  /** The value of a link key that holds its target ({@code CmSymbolicLinkValueName}). */
  public static final String SYMBOLIC_LINK_VALUE = "SymbolicLinkValue";

  /** The root key's name, as NT spells it. */
  public static final String ROOT_NAME = "REGISTRY";

  /** How many times one lookup may be reparsed through links ({@code OBJ_MAX_REPARSE_ATTEMPTS}). */
  static final int OBJ_MAX_REPARSE_ATTEMPTS = 32;

  static final long ROOT_ID = 1;
  static final long FIRST_VOLATILE_ID = 1L << 62;
  static final int LAZY_FLUSH_COMMITS = 1000;
  static final long LAZY_FLUSH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final int LEGAL_CREATE_OPTIONS = REG_OPTION_VOLATILE | REG_OPTION_CREATE_LINK;

  private final ReentrantLock registryLock = new ReentrantLock();
  private final Clock clock;

  /**
   * The stable store. Replaced only by {@link #reopenLocked}, after the file store gave up on a
   * write failure: the new one is opened from the file, which holds every committed change.
   */
  @GuardedBy("registryLock")
  private CellStore stableCells;

  /** The hive file; null for a hive in memory. */
  private final Path file;

  @GuardedBy("registryLock")
  private final HiveFailures failures;

  @GuardedBy("registryLock")
  private final CellStore volatileCells;

  /** The id the next stable key gets; above every stable id this instance ever issued. */
  @GuardedBy("registryLock")
  private long nextStableId;

  /** The id the next volatile key gets; above every volatile id this instance ever issued. */
  @GuardedBy("registryLock")
  private long nextVolatileId = FIRST_VOLATILE_ID;

  /** Set once by {@link #close()}; every call then answers {@code STATUS_KEY_DELETED}. */
  @GuardedBy("registryLock")
  private boolean closed;

  /**
   * Set when the file store gave up and could not be opened again; cleared when it is. While set,
   * every call first tries to reopen the file and answers {@code REGISTRY_IO_FAILED} if it cannot.
   */
  @GuardedBy("registryLock")
  private boolean ioFailed;

  /**
   * Set once by {@link #sealWrites()} when the kernel halts; never cleared. Every change then rolls
   * back in {@link #finishLocked}, the one place changes are committed.
   */
  @GuardedBy("registryLock")
  private boolean sealed;

  /**
   * Why the batch in progress failed in the store, or null: its earlier changes are gone, so every
   * later call of the batch, and its end, answer this status.
   */
  @GuardedBy("registryLock")
  private NtStatus batchFailure;

  /** Whether a batch holds the registry lock: changes then commit at the batch's end only. */
  @GuardedBy("registryLock")
  private boolean inBatch;

  @GuardedBy("registryLock")
  private int commitsSinceFlush;

  @GuardedBy("registryLock")
  private long lastFlushNanos;

  private Hive(CellStore stableCells, Clock clock, Path file) {
    this.stableCells = stableCells;
    this.file = file;
    this.failures = new HiveFailures(file == null ? "(in memory)" : file.toString());
    this.volatileCells = CellStore.inMemory();
    this.clock = clock;
    this.nextStableId = Math.max(ROOT_ID, stableCells.highestKeyId()) + 1;
    this.lastFlushNanos = System.nanoTime();
  }

  /**
   * The answer to opening a hive file.
   *
   * @param status {@code STATUS_SUCCESS}, {@code STATUS_REGISTRY_CORRUPT} if the file is not a
   *     hive, or {@code STATUS_REGISTRY_IO_FAILED} if it cannot be read, written or locked
   * @param hive the open hive; {@code null} unless the status is a success
   */
  public record OpenResult(NtStatus status, Hive hive) {

    /** Checks that a success carries the hive and a failure does not. */
    public OpenResult {
      Objects.requireNonNull(status, "status");
      if (status.isSuccess() != (hive != null)) {
        throw new IllegalArgumentException(
            "status " + status + (hive == null ? " without" : " with") + " a hive");
      }
    }

    /**
     * The hive. No NT counterpart.
     *
     * @throws IllegalStateException if the open failed
     */
    @Override
    public Hive hive() {
      if (hive == null) {
        throw new IllegalStateException("no hive: " + status);
      }
      return hive;
    }
  }

  /**
   * Opens the hive file, creating it with only the root key if it does not exist. Models {@code
   * CmpInitializeHive} for a file-backed hive (partial: one file holds every stable key). A file
   * left by a killed process opens with every change that was acknowledged.
   *
   * @implNote A new file is built under a temporary name and renamed into place, so a crash while
   *     creating it leaves no half-made hive behind.
   */
  public static OpenResult open(Path file) {
    Objects.requireNonNull(file, "file");
    CellStore cells = null;
    try {
      if (!Files.exists(file)) {
        createFile(file);
      }
      cells = CellStore.openFile(file);
      Hive hive = new Hive(cells, Clock.systemUTC(), file);
      hive.ensureRoot();
      return new OpenResult(NtStatus.STATUS_SUCCESS, hive);
    } catch (MVStoreException e) {
      if (cells != null) {
        cells.closeImmediately();
      }
      return new OpenResult(statusOfOpenFailure(e), null);
    } catch (IOException e) {
      return new OpenResult(NtStatus.STATUS_REGISTRY_IO_FAILED, null);
    }
  }

  /**
   * A hive whose stable keys live in memory too: for tests and embedded kernels with no state.
   * Models a hive loaded without a backing file ({@code HINIT_CREATE} of the master hive)
   * (partial).
   */
  public static Hive openInMemory() {
    Hive hive = new Hive(CellStore.inMemory(), Clock.systemUTC(), null);
    hive.ensureRoot();
    return hive;
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

  private static NtStatus statusOfOpenFailure(MVStoreException e) {
    return switch (e.getErrorCode()) {
      case DataUtils.ERROR_FILE_CORRUPT,
          DataUtils.ERROR_UNSUPPORTED_FORMAT,
          DataUtils.ERROR_CHUNK_NOT_FOUND,
          DataUtils.ERROR_SERIALIZATION ->
          NtStatus.STATUS_REGISTRY_CORRUPT;
      default -> NtStatus.STATUS_REGISTRY_IO_FAILED;
    };
  }

  private static void putRoot(CellStore cells, Clock clock) {
    if (cells.key(ROOT_ID) == null) {
      cells.putKey(
          ROOT_ID,
          KeyCell.create(
              0, ROOT_NAME, KeyCell.FLAG_NO_DELETE, KeyInfo.toFileTime(clock.instant())));
    }
  }

  private void ensureRoot() {
    registryLock.lock();
    try {
      if (stableCells.key(ROOT_ID) == null) {
        putRoot(stableCells, clock);
        stableCells.commit();
      }
    } finally {
      registryLock.unlock();
    }
  }

  /** The id of {@code \REGISTRY}, the root key. Models {@code CmpRegistryRootObject} (full). */
  public long rootId() {
    return ROOT_ID;
  }

  /**
   * The subkey of the parent with this name (compared upcased); a link subkey is returned itself,
   * not followed. Models {@code CmpFindSubKeyByName} (full).
   *
   * @return {@code STATUS_SUCCESS} with the subkey's id; {@code STATUS_OBJECT_NAME_NOT_FOUND};
   *     {@code STATUS_OBJECT_NAME_INVALID} or {@code STATUS_INVALID_PARAMETER} for a bad name;
   *     {@code STATUS_KEY_DELETED} for a deleted parent
   */
  public KeyResult lookupChild(long parentId, String name) {
    Objects.requireNonNull(name, "name");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return KeyResult.failed(usable);
      }
      if (cellLocked(parentId) == null) {
        return KeyResult.failed(missingKeyStatusLocked(parentId));
      }
      NtStatus nameStatus = KeyNames.checkKeyName(name);
      if (!nameStatus.isSuccess()) {
        return KeyResult.failed(nameStatus);
      }
      Long child = findChildLocked(parentId, KeyNames.upcase(name));
      return child == null
          ? KeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
          : KeyResult.found(child);
    } catch (MVStoreException e) {
      return KeyResult.failed(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Creates the subkey, or opens it if it exists. Models {@code CmpDoCreate} and {@code CmpDoOpen}
   * as {@code NtCreateKey} reaches them for the last path component (full). An existing link subkey
   * is opened itself, not followed: following is {@link #resolvePath}'s business.
   *
   * @param options {@link #REG_OPTION_VOLATILE} and {@link #REG_OPTION_CREATE_LINK}; ignored when
   *     the key exists, except that a link create of an existing key fails
   * @return {@code STATUS_SUCCESS} with the key and disposition {@link #REG_CREATED_NEW_KEY} or
   *     {@link #REG_OPENED_EXISTING_KEY}; {@code STATUS_CHILD_MUST_BE_VOLATILE} for a stable key
   *     under a volatile parent; {@code STATUS_ACCESS_DENIED} under a link key; {@code
   *     STATUS_OBJECT_NAME_COLLISION} for a link create of an existing key; {@code
   *     STATUS_OBJECT_NAME_INVALID} or {@code STATUS_INVALID_PARAMETER} for a bad name; {@code
   *     STATUS_INVALID_PARAMETER} for an unknown option; {@code STATUS_INSUFFICIENT_RESOURCES} for
   *     a key at level 512 or deeper ({@code \REGISTRY} is level 1; NT's {@code
   *     CMP_MAX_REGISTRY_DEPTH}); {@code STATUS_KEY_DELETED}
   * @implNote The other {@code REG_OPTION_*} bits ({@code BACKUP_RESTORE}, {@code OPEN_LINK}) are
   *     the object manager's and are refused here with {@code STATUS_INVALID_PARAMETER}.
   */
  public CreateKeyResult createKey(long parentId, String name, int options) {
    Objects.requireNonNull(name, "name");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return CreateKeyResult.failed(usable);
      }
      CreateKeyResult result = createKeyLocked(parentId, name, options);
      NtStatus finished = finishLocked(result.status());
      return finished.equals(result.status()) ? result : CreateKeyResult.failed(finished);
    } catch (MVStoreException e) {
      return CreateKeyResult.failed(abortLocked(e));
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Opens the path below the start key, creating every missing component; links on the way, the
   * last component's included, are followed. Models the nested create of {@code RegCreateKeyEx}
   * (advapi32 {@code CreateNestedKey}) over {@code NtCreateKey} (partial: one atomic change instead
   * of one call per component).
   *
   * @param options as for {@link #createKey}; the intermediate keys made get only {@link
   *     #REG_OPTION_VOLATILE}
   * @return as for {@link #createKey}; the disposition is that of the last component
   */
  public CreateKeyResult createPath(long startId, List<String> components, int options) {
    Objects.requireNonNull(components, "components");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return CreateKeyResult.failed(usable);
      }
      if ((options & ~LEGAL_CREATE_OPTIONS) != 0) {
        return CreateKeyResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
      }
      CreateKeyResult result = walkLocked(startId, components, true, true, options);
      NtStatus finished = finishLocked(result.status());
      return finished.equals(result.status()) ? result : CreateKeyResult.failed(finished);
    } catch (MVStoreException e) {
      return CreateKeyResult.failed(abortLocked(e));
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Walks the path below the start key, comparing each component upcased and following links.
   * Models {@code CmpParseKey} with the reparse loop of {@code ObpLookupObjectName} around it (full
   * for keys; see the note for targets outside the registry).
   *
   * <p>Empty components (doubled or trailing {@code \}) are skipped. A link key met before the last
   * component is always followed; the last one is followed only if {@code followLinks} (NT: unless
   * {@code OBJ_OPENLINK}). Following a link replaces the path walked so far with the absolute
   * target in its {@code SymbolicLinkValue} ({@code REG_LINK}); so the key found has the target's
   * name: {@code \Registry\Machine\System\CurrentControlSet\Services\X} resolves to the key whose
   * {@link KeyInfo#path()} is {@code \REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\X}.
   *
   * @return {@code STATUS_SUCCESS} with the key; {@code STATUS_OBJECT_NAME_NOT_FOUND} when any
   *     component is missing (the last or one before it, as {@code CmpParseKey} answers), when a
   *     link has no well-formed target, or after 32 reparses; {@code STATUS_OBJECT_NAME_INVALID} or
   *     {@code STATUS_INVALID_PARAMETER} for a bad component; {@code STATUS_KEY_DELETED} for a
   *     deleted start key
   * @implNote A link whose target lies outside {@code \REGISTRY} is answered as the object manager
   *     answers a name its namespace does not hold: {@code STATUS_OBJECT_PATH_NOT_FOUND} if a
   *     component follows the missing one, else {@code STATUS_OBJECT_NAME_NOT_FOUND}; a target of
   *     just {@code \} names the root directory, {@code STATUS_OBJECT_TYPE_MISMATCH}. A deleted
   *     start key answers {@code STATUS_KEY_DELETED}, as every call on a deleted key does; {@code
   *     CmpParseKey} answers {@code STATUS_OBJECT_NAME_NOT_FOUND} there.
   */
  public KeyResult resolvePath(long startId, List<String> components, boolean followLinks) {
    Objects.requireNonNull(components, "components");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return KeyResult.failed(usable);
      }
      CreateKeyResult walked = walkLocked(startId, components, followLinks, false, 0);
      return walked.status().isSuccess()
          ? KeyResult.found(walked.keyId())
          : KeyResult.failed(walked.status());
    } catch (MVStoreException e) {
      return KeyResult.failed(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * What the key holds and where it is. Models {@code NtQueryKey} with {@code KeyFullInformation}
   * and {@code KeyNameInformation} (partial: no class name).
   *
   * @return {@code STATUS_SUCCESS} with the information, or {@code STATUS_KEY_DELETED}
   */
  public KeyInfoResult info(long keyId) {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return KeyInfoResult.failed(usable);
      }
      KeyCell cell = cellLocked(keyId);
      if (cell == null) {
        return KeyInfoResult.failed(missingKeyStatusLocked(keyId));
      }
      CellStore cells = cellsOfLocked(keyId);
      long subkeys = stableCells.childCount(keyId) + volatileCells.childCount(keyId);
      KeyInfo info =
          new KeyInfo(
              keyId,
              cell.name(),
              cell.parentId(),
              pathLocked(cell),
              isVolatileId(keyId),
              cell.isLink(),
              cell.lastWriteTime(),
              Math.toIntExact(subkeys),
              Math.toIntExact(cells.valueCount(keyId)),
              cell.maxNameBytes(),
              cell.maxValueNameBytes(),
              cell.maxValueDataBytes());
      return new KeyInfoResult(NtStatus.STATUS_SUCCESS, info);
    } catch (MVStoreException e) {
      return KeyInfoResult.failed(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Deletes the key and its values; its id answers {@code STATUS_KEY_DELETED} from then on. Models
   * {@code NtDeleteKey} / {@code CmDeleteKey} (full).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_CANNOT_DELETE} while the key has subkeys, or for
   *     the root and the hive roots; {@code STATUS_KEY_DELETED}
   */
  public NtStatus deleteKey(long keyId) {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      return finishLocked(deleteKeyLocked(keyId));
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Sets the value, creating it at the end of the key's value list or replacing its type and data
   * in place (it keeps its place and the case of its name). Models {@code NtSetValueKey} / {@code
   * CmSetValueKey} (full, less {@code TitleIndex}).
   *
   * @param name the value's name; {@code ""} is the key's default value
   * @param type any 32-bit type, see {@link RegType}
   * @param data the bytes, stored exactly as given
   * @return {@code STATUS_SUCCESS} once the change is in the hive file; {@code
   *     STATUS_INVALID_PARAMETER} for a name over 16383 characters; {@code
   *     STATUS_INSUFFICIENT_RESOURCES} for data over 1 MiB; {@code STATUS_DISK_FULL} or {@code
   *     STATUS_REGISTRY_IO_FAILED} if the hive file cannot be written (nothing is changed); {@code
   *     STATUS_KEY_DELETED}
   */
  public NtStatus setValue(long keyId, String name, int type, byte[] data) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    return setValue(keyId, new RegValue(name, type, data));
  }

  /** Sets the value; as {@link #setValue(long, String, int, byte[])}. */
  public NtStatus setValue(long keyId, RegValue value) {
    Objects.requireNonNull(value, "value");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      return finishLocked(setValueLocked(keyId, value));
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * The value with this name (compared upcased). Models {@code NtQueryValueKey} with {@code
   * KeyValueFullInformation} (full, less {@code TitleIndex}).
   *
   * @return {@code STATUS_SUCCESS} with the value; {@code STATUS_OBJECT_NAME_NOT_FOUND}; {@code
   *     STATUS_INVALID_PARAMETER} for a name over 16383 characters; {@code STATUS_KEY_DELETED}
   */
  public ValueResult queryValue(long keyId, String name) {
    Objects.requireNonNull(name, "name");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return ValueResult.failed(usable);
      }
      if (cellLocked(keyId) == null) {
        return ValueResult.failed(missingKeyStatusLocked(keyId));
      }
      NtStatus nameStatus = KeyNames.checkValueName(name);
      if (!nameStatus.isSuccess()) {
        return ValueResult.failed(nameStatus);
      }
      ValueCell cell = cellsOfLocked(keyId).value(keyId, KeyNames.upcase(name));
      return cell == null
          ? ValueResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
          : new ValueResult(NtStatus.STATUS_SUCCESS, cell.value());
    } catch (MVStoreException e) {
      return ValueResult.failed(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Deletes the value; the values after it move up one place. Models {@code NtDeleteValueKey} /
   * {@code CmDeleteValueKey} (full).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_OBJECT_NAME_NOT_FOUND}; {@code
   *     STATUS_INVALID_PARAMETER} for a name over 16383 characters; {@code STATUS_KEY_DELETED}
   */
  public NtStatus deleteValue(long keyId, String name) {
    Objects.requireNonNull(name, "name");
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      return finishLocked(deleteValueLocked(keyId, name));
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * The key's {@code index}-th value in creation order. Models {@code NtEnumerateValueKey} with
   * {@code KeyValueFullInformation} (full).
   *
   * @param index a {@code ULONG}: a negative int is read as the unsigned number it encodes
   * @return {@code STATUS_SUCCESS} with the value; {@code STATUS_NO_MORE_ENTRIES} past the last;
   *     {@code STATUS_KEY_DELETED}
   */
  public ValueResult enumerateValue(long keyId, int index) {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return ValueResult.failed(usable);
      }
      if (cellLocked(keyId) == null) {
        return ValueResult.failed(missingKeyStatusLocked(keyId));
      }
      CellStore cells = cellsOfLocked(keyId);
      long position = Integer.toUnsignedLong(index);
      if (position >= cells.valueCount(keyId)) {
        return ValueResult.failed(NtStatus.STATUS_NO_MORE_ENTRIES);
      }
      return new ValueResult(NtStatus.STATUS_SUCCESS, cells.valueAt(keyId, position).value());
    } catch (MVStoreException e) {
      return ValueResult.failed(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * The key's {@code index}-th subkey: the stable subkeys sorted by upcased name, then the volatile
   * ones sorted the same way. Models {@code NtEnumerateKey} with {@code KeyBasicInformation} and
   * {@code CmpFindSubKeyByNumber} (full). Costs O(log n) in the number of subkeys.
   *
   * @param index a {@code ULONG}: a negative int is read as the unsigned number it encodes
   * @return {@code STATUS_SUCCESS} with the subkey; {@code STATUS_NO_MORE_ENTRIES} past the last;
   *     {@code STATUS_KEY_DELETED}
   */
  public EnumeratedKey enumerateKey(long keyId, int index) {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return EnumeratedKey.failed(usable);
      }
      if (cellLocked(keyId) == null) {
        return EnumeratedKey.failed(missingKeyStatusLocked(keyId));
      }
      long position = Integer.toUnsignedLong(index);
      long stableCount = stableCells.childCount(keyId);
      long childId;
      if (position < stableCount) {
        childId = stableCells.childAt(keyId, position);
      } else if (position - stableCount < volatileCells.childCount(keyId)) {
        childId = volatileCells.childAt(keyId, position - stableCount);
      } else {
        return EnumeratedKey.failed(NtStatus.STATUS_NO_MORE_ENTRIES);
      }
      KeyCell child = existingCellLocked(childId);
      return new EnumeratedKey(
          NtStatus.STATUS_SUCCESS, childId, child.name(), child.lastWriteTime());
    } catch (MVStoreException e) {
      return EnumeratedKey.failed(NtStatus.STATUS_REGISTRY_IO_FAILED);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Forces every change to the device. Models {@code NtFlushKey} (partial: flushes the whole hive
   * file, as NT flushes the whole hive of the key). Changes are already in the file when their
   * calls return; this adds the {@code fsync}. A no-op for a hive in memory.
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_REGISTRY_IO_FAILED}; {@code STATUS_KEY_DELETED}
   *     after {@link #close()}
   */
  public NtStatus flush() {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      flushLocked();
      return NtStatus.STATUS_SUCCESS;
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Flushes and closes the hive: volatile keys are gone, and every later call answers {@code
   * STATUS_KEY_DELETED}. Idempotent. Models {@code CmShutdownSystem} (partial).
   *
   * @implNote A failure to flush or close the file is not reported: every acknowledged change is
   *     already in the file, so nothing that was promised is lost.
   */
  @Override
  public void close() {
    registryLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (!ioFailed) {
          stableCells.flush();
        }
        stableCells.close();
      } catch (MVStoreException e) {
        stableCells.closeImmediately();
      }
      volatileCells.closeImmediately();
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Closes the hive to writes for good: every later change answers {@code STATUS_SYSTEM_SHUTDOWN}
   * and leaves nothing behind, in memory or in the file; reads go on. Called when the kernel halts
   * (bug check). Waits for a change in progress, so that once it returns no change commits.
   * Idempotent. Models nothing of NT by itself (partial: a halted NT machine runs no more code at
   * all; this is the part of that which keeps the hive as it was at the halt).
   */
  public void sealWrites() {
    registryLock.lock();
    try {
      sealed = true;
    } finally {
      registryLock.unlock();
    }
  }

  // ---- package-private services for HiveLayout, RegFile and the tests

  /**
   * Marks a key as a hive root, which {@link #deleteKey} refuses. Models {@code KEY_NO_DELETE} on a
   * hive's root cell (full).
   */
  NtStatus markNoDelete(long keyId) {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      KeyCell cell = cellLocked(keyId);
      if (cell == null) {
        return missingKeyStatusLocked(keyId);
      }
      if (!cell.isNoDelete()) {
        cellsOfLocked(keyId).putKey(keyId, cell.withFlags(cell.flags() | KeyCell.FLAG_NO_DELETE));
      }
      return finishLocked(NtStatus.STATUS_SUCCESS);
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Deletes the key and its whole subtree, children first; link keys inside are deleted, not
   * followed. Models {@code RegDeleteTree} (partial: one atomic change).
   *
   * @return as for {@link #deleteKey}; a no-delete key anywhere in the subtree refuses the whole
   *     deletion
   */
  NtStatus deleteTree(long keyId) {
    registryLock.lock();
    try {
      NtStatus usable = usableLocked();
      if (!usable.isSuccess()) {
        return usable;
      }
      return finishLocked(deleteTreeLocked(keyId));
    } catch (MVStoreException e) {
      return abortLocked(e);
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Takes the registry lock and starts a batch: the changes of this thread commit together at
   * {@link #endBatch}, or not at all. Every {@code beginBatch} must be followed by one {@code
   * endBatch} in a {@code finally}.
   */
  void beginBatch() {
    registryLock.lock();
    boolean started = false;
    try {
      if (inBatch) {
        throw new IllegalStateException("batches do not nest");
      }
      inBatch = true;
      started = true;
    } finally {
      if (!started) {
        registryLock.unlock();
      }
    }
  }

  /**
   * Ends the batch and releases the registry lock: a successful outcome commits every change made
   * in the batch, a failed one drops them all.
   *
   * @return {@code STATUS_SUCCESS} if the changes were committed; the outcome itself if it was a
   *     failure; {@code STATUS_DISK_FULL} or {@code STATUS_REGISTRY_IO_FAILED} if the hive file
   *     failed during the batch or its commit (and nothing of the batch was kept)
   */
  NtStatus endBatch(NtStatus outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (!registryLock.isHeldByCurrentThread()) {
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
      registryLock.unlock();
    }
  }

  /**
   * Whether the key is a link key; false for a key that is gone. Costs one cell lookup, where
   * {@link #info} also walks to the root for the key's path.
   */
  boolean isLink(long keyId) {
    registryLock.lock();
    try {
      if (!usableLocked().isSuccess()) {
        return false;
      }
      KeyCell cell = cellLocked(keyId);
      return cell != null && cell.isLink();
    } catch (MVStoreException e) {
      return false;
    } finally {
      registryLock.unlock();
    }
  }

  /** Runs the reader under the registry lock, so that it sees one consistent registry. */
  <T> T underRegistryLock(Supplier<T> reader) {
    registryLock.lock();
    try {
      return reader.get();
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Every inconsistency between the key cells, the subkey index and the value lists, in words;
   * empty for a sound registry. Models {@code CmCheckRegistry} (partial: reports, never repairs).
   */
  List<String> checkRegistry() {
    registryLock.lock();
    try {
      return HiveCheck.check(stableCells, volatileCells);
    } finally {
      registryLock.unlock();
    }
  }

  // ---- the core, always under the registry lock

  @GuardedBy("registryLock")
  private NtStatus usableLocked() {
    if (closed) {
      return NtStatus.STATUS_KEY_DELETED;
    }
    if (batchFailure != null) {
      return batchFailure;
    }
    if (ioFailed && !reopenLocked()) {
      return NtStatus.STATUS_REGISTRY_IO_FAILED;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  static boolean isVolatileId(long keyId) {
    return keyId >= FIRST_VOLATILE_ID;
  }

  @GuardedBy("registryLock")
  private CellStore cellsOfLocked(long keyId) {
    return isVolatileId(keyId) ? volatileCells : stableCells;
  }

  @GuardedBy("registryLock")
  private KeyCell cellLocked(long keyId) {
    return keyId <= 0 ? null : cellsOfLocked(keyId).key(keyId);
  }

  /** The cell of a key the registry's own structure says exists. */
  @GuardedBy("registryLock")
  private KeyCell existingCellLocked(long keyId) {
    KeyCell cell = cellLocked(keyId);
    if (cell == null) {
      throw new IllegalStateException("key " + keyId + " is referenced but not stored");
    }
    return cell;
  }

  /**
   * Why a key id has no cell: it was deleted ({@code STATUS_KEY_DELETED}).
   *
   * @throws IllegalArgumentException if this hive never issued the id: a caller's bug
   */
  @GuardedBy("registryLock")
  private NtStatus missingKeyStatusLocked(long keyId) {
    boolean issued =
        isVolatileId(keyId) ? keyId < nextVolatileId : keyId >= ROOT_ID && keyId < nextStableId;
    if (!issued) {
      throw new IllegalArgumentException("key id " + keyId + " was never issued by this hive");
    }
    return NtStatus.STATUS_KEY_DELETED;
  }

  @GuardedBy("registryLock")
  private Long findChildLocked(long parentId, String upcasedName) {
    if (isVolatileId(parentId)) {
      return volatileCells.child(parentId, upcasedName);
    }
    Long child = stableCells.child(parentId, upcasedName);
    return child != null ? child : volatileCells.child(parentId, upcasedName);
  }

  @GuardedBy("registryLock")
  private long subkeyCountLocked(long keyId) {
    return stableCells.childCount(keyId) + volatileCells.childCount(keyId);
  }

  @GuardedBy("registryLock")
  private String pathLocked(KeyCell cell) {
    Deque<String> names = new ArrayDeque<>();
    names.push(cell.name());
    long parentId = cell.parentId();
    while (parentId != 0) {
      KeyCell parent = existingCellLocked(parentId);
      names.push(parent.name());
      parentId = parent.parentId();
    }
    StringBuilder path = new StringBuilder();
    for (String name : names) {
      path.append('\\').append(name);
    }
    return path.toString();
  }

  private long now() {
    return KeyInfo.toFileTime(clock.instant());
  }

  @GuardedBy("registryLock")
  private CreateKeyResult createKeyLocked(long parentId, String name, int options) {
    if ((options & ~LEGAL_CREATE_OPTIONS) != 0) {
      return CreateKeyResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    KeyCell parent = cellLocked(parentId);
    if (parent == null) {
      return CreateKeyResult.failed(missingKeyStatusLocked(parentId));
    }
    NtStatus nameStatus = KeyNames.checkKeyName(name);
    if (!nameStatus.isSuccess()) {
      return CreateKeyResult.failed(nameStatus);
    }
    String upcased = KeyNames.upcase(name);
    Long existing = findChildLocked(parentId, upcased);
    if (existing != null) {
      // CmpDoOpen: a link create must make a new key.
      return (options & REG_OPTION_CREATE_LINK) != 0
          ? CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_COLLISION)
          : new CreateKeyResult(NtStatus.STATUS_SUCCESS, existing, REG_OPENED_EXISTING_KEY);
    }
    boolean makeVolatile = (options & REG_OPTION_VOLATILE) != 0;
    // CmpDoCreate checks in this order.
    if (isVolatileId(parentId) && !makeVolatile) {
      return CreateKeyResult.failed(NtStatus.STATUS_CHILD_MUST_BE_VOLATILE);
    }
    if (parent.isLink()) {
      return CreateKeyResult.failed(NtStatus.STATUS_ACCESS_DENIED);
    }
    if (levelLocked(parentId) + 1 >= KeyNames.MAX_KEY_DEPTH) {
      // CmpCreateKeyControlBlock: (ParentKcb->TotalLevels + 1) < CMP_MAX_REGISTRY_DEPTH.
      return CreateKeyResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    long now = now();
    long childId = makeVolatile ? nextVolatileId++ : nextStableId++;
    int flags = (options & REG_OPTION_CREATE_LINK) != 0 ? KeyCell.FLAG_LINK : 0;
    CellStore childCells = cellsOfLocked(childId);
    childCells.putKey(childId, KeyCell.create(parentId, name, flags, now));
    childCells.putChild(parentId, upcased, childId);
    cellsOfLocked(parentId)
        .putKey(
            parentId, parent.withSubkeys(now, Math.max(parent.maxNameBytes(), 2 * name.length())));
    return new CreateKeyResult(NtStatus.STATUS_SUCCESS, childId, REG_CREATED_NEW_KEY);
  }

  @GuardedBy("registryLock")
  private NtStatus deleteKeyLocked(long keyId) {
    KeyCell cell = cellLocked(keyId);
    if (cell == null) {
      return missingKeyStatusLocked(keyId);
    }
    if (cell.isNoDelete() || subkeyCountLocked(keyId) > 0) {
      return NtStatus.STATUS_CANNOT_DELETE;
    }
    long parentId = cell.parentId();
    KeyCell parent = existingCellLocked(parentId);
    CellStore cells = cellsOfLocked(keyId);
    cells.removeAllValues(keyId);
    cells.removeChild(parentId, KeyNames.upcase(cell.name()));
    cells.removeKey(keyId);
    int maxNameBytes = subkeyCountLocked(parentId) == 0 ? 0 : parent.maxNameBytes();
    cellsOfLocked(parentId).putKey(parentId, parent.withSubkeys(now(), maxNameBytes));
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * The key's level: {@code \REGISTRY} is 1, its subkeys 2, and so on (NT's {@code
   * TotalLevels}).
   */
  @GuardedBy("registryLock")
  private int levelLocked(long keyId) {
    int level = 1;
    for (long parentId = existingCellLocked(keyId).parentId(); parentId != 0;
        parentId = existingCellLocked(parentId).parentId()) {
      level++;
    }
    return level;
  }

  /**
   * Deletes the subtree children first. Depth first with a stack of its own, not the thread's: a
   * tree may be deeper than any stack (a hive written before the depth limit, or by another tool).
   */
  @GuardedBy("registryLock")
  private NtStatus deleteTreeLocked(long keyId) {
    if (cellLocked(keyId) == null) {
      return missingKeyStatusLocked(keyId);
    }
    Deque<Long> path = new ArrayDeque<>();
    path.push(keyId);
    while (!path.isEmpty()) {
      long current = path.peek();
      if (existingCellLocked(current).isNoDelete()) {
        return NtStatus.STATUS_CANNOT_DELETE;
      }
      if (subkeyCountLocked(current) > 0) {
        path.push(
            stableCells.childCount(current) > 0
                ? stableCells.childAt(current, 0)
                : volatileCells.childAt(current, 0));
        continue;
      }
      NtStatus status = deleteKeyLocked(current);
      if (!status.isSuccess()) {
        return status;
      }
      path.pop();
    }
    return NtStatus.STATUS_SUCCESS;
  }

  @GuardedBy("registryLock")
  private NtStatus setValueLocked(long keyId, RegValue value) {
    KeyCell cell = cellLocked(keyId);
    if (cell == null) {
      return missingKeyStatusLocked(keyId);
    }
    NtStatus nameStatus = KeyNames.checkValueName(value.name());
    if (!nameStatus.isSuccess()) {
      return nameStatus;
    }
    if (value.dataLength() > KeyNames.MAX_VALUE_DATA_BYTES) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    CellStore cells = cellsOfLocked(keyId);
    String upcased = KeyNames.upcase(value.name());
    ValueCell existing = cells.value(keyId, upcased);
    long nextOrdinal = cell.nextValueOrdinal();
    ValueCell stored;
    if (existing == null) {
      stored = new ValueCell(nextOrdinal++, value);
    } else {
      // CmpSetValueKeyExisting keeps the value's cell, its name and its place in the list.
      stored =
          new ValueCell(
              existing.ordinal(),
              new RegValue(existing.value().name(), value.type(), value.data()));
    }
    cells.putValue(keyId, upcased, stored, existing == null);
    cells.putKey(
        keyId,
        cell.withValues(
            now(),
            Math.max(cell.maxValueNameBytes(), 2 * value.name().length()),
            Math.max(cell.maxValueDataBytes(), value.dataLength()),
            nextOrdinal));
    return NtStatus.STATUS_SUCCESS;
  }

  @GuardedBy("registryLock")
  private NtStatus deleteValueLocked(long keyId, String name) {
    KeyCell cell = cellLocked(keyId);
    if (cell == null) {
      return missingKeyStatusLocked(keyId);
    }
    NtStatus nameStatus = KeyNames.checkValueName(name);
    if (!nameStatus.isSuccess()) {
      return nameStatus;
    }
    CellStore cells = cellsOfLocked(keyId);
    String upcased = KeyNames.upcase(name);
    ValueCell existing = cells.value(keyId, upcased);
    if (existing == null) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    cells.removeValue(keyId, upcased, existing.ordinal());
    boolean empty = cells.valueCount(keyId) == 0;
    cells.putKey(
        keyId,
        cell.withValues(
            now(),
            empty ? 0 : cell.maxValueNameBytes(),
            empty ? 0 : cell.maxValueDataBytes(),
            cell.nextValueOrdinal()));
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * The parse loop shared by {@link #resolvePath} and {@link #createPath}: walk the components,
   * reparse through links, and (when {@code create}) make what is missing.
   */
  @GuardedBy("registryLock")
  private CreateKeyResult walkLocked(
      long startId, List<String> components, boolean followFinalLink, boolean create, int options) {
    if (cellLocked(startId) == null) {
      return CreateKeyResult.failed(missingKeyStatusLocked(startId));
    }
    Deque<String> remaining = nonEmpty(components);
    long current = startId;
    int disposition = REG_OPENED_EXISTING_KEY;
    boolean followFinal = followFinalLink;
    int reparsesLeft = OBJ_MAX_REPARSE_ATTEMPTS;
    while (true) {
      KeyCell cell = existingCellLocked(current);
      if (cell.isLink() && (!remaining.isEmpty() || followFinal)) {
        // ObpLookupObjectName: if (--MaxReparse) reparse, else give up.
        if (--reparsesLeft == 0) {
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        Optional<String> target = linkTargetLocked(current);
        if (target.isEmpty()) {
          // CmpGetSymbolicLink failed.
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        Deque<String> reparsed = nonEmpty(List.of(target.get().split("\\\\", -1)));
        if (reparsed.isEmpty()) {
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
        }
        String first = reparsed.poll();
        if (!KeyNames.upcase(first).equals(ROOT_NAME)) {
          return CreateKeyResult.failed(
              reparsed.isEmpty() && remaining.isEmpty()
                  ? NtStatus.STATUS_OBJECT_NAME_NOT_FOUND
                  : NtStatus.STATUS_OBJECT_PATH_NOT_FOUND);
        }
        reparsed.addAll(remaining);
        remaining = reparsed;
        current = ROOT_ID;
        continue;
      }
      if (remaining.isEmpty()) {
        return new CreateKeyResult(NtStatus.STATUS_SUCCESS, current, create ? disposition : 0);
      }
      String name = remaining.poll();
      NtStatus nameStatus = KeyNames.checkKeyName(name);
      if (!nameStatus.isSuccess()) {
        return CreateKeyResult.failed(nameStatus);
      }
      boolean last = remaining.isEmpty();
      Long child = findChildLocked(current, KeyNames.upcase(name));
      if (child == null) {
        if (!create) {
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        CreateKeyResult made =
            createKeyLocked(current, name, last ? options : options & REG_OPTION_VOLATILE);
        if (!made.status().isSuccess()) {
          return made;
        }
        child = made.keyId();
        if (last) {
          disposition = REG_CREATED_NEW_KEY;
          followFinal = false;
        }
      } else if (create && last && (options & REG_OPTION_CREATE_LINK) != 0) {
        return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_COLLISION);
      }
      current = child;
    }
  }

  private static Deque<String> nonEmpty(List<String> components) {
    Deque<String> result = new ArrayDeque<>();
    for (String component : components) {
      if (!Objects.requireNonNull(component, "component").isEmpty()) {
        result.add(component);
      }
    }
    return result;
  }

  /**
   * The target of a link key, if its {@code SymbolicLinkValue} is a {@code REG_LINK} of even length
   * starting with {@code \}, as {@code CmpGetSymbolicLink} requires.
   */
  @GuardedBy("registryLock")
  private Optional<String> linkTargetLocked(long keyId) {
    ValueCell cell = cellsOfLocked(keyId).value(keyId, KeyNames.upcase(SYMBOLIC_LINK_VALUE));
    if (cell == null) {
      return Optional.empty();
    }
    return cell.value().linkTarget().filter(target -> target.startsWith("\\"));
  }

  /**
   * Ends a change: commit on success, roll back both stores on failure; inside a batch, leave both
   * to the batch's end. Returns the status unchanged, or {@code STATUS_SYSTEM_SHUTDOWN} for a
   * change dropped because the hive is sealed ({@link #sealWrites}); a store failure throws instead.
   */
  @GuardedBy("registryLock")
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
      stableCells.rollback();
      volatileCells.rollback();
      return status;
    }
    boolean written = stableCells.commit();
    volatileCells.commit();
    if (written) {
      failures.writeSucceeded();
    }
    if (written && stableCells.isPersistent()) {
      commitsSinceFlush++;
      if (commitsSinceFlush >= LAZY_FLUSH_COMMITS
          || System.nanoTime() - lastFlushNanos >= LAZY_FLUSH_INTERVAL_NANOS) {
        try {
          flushLocked();
        } catch (MVStoreException e) {
          // The change is committed (written to the file) already; only the forcing failed. The
          // call succeeded; the store is reopened if it gave up, and the next flush tries again.
          failures.writeFailed(e, "a lazy flush");
          if (stableCells.isClosed()) {
            reopenLocked();
          }
        }
      }
    }
    return status;
  }

  @GuardedBy("registryLock")
  private void flushLocked() {
    stableCells.flush();
    commitsSinceFlush = 0;
    lastFlushNanos = System.nanoTime();
  }

  /**
   * A store call threw: drop the uncommitted change, log the failure and, if the file store gave
   * up (MVStore closes itself on a write failure), open it again from the file, which holds every
   * committed change: reads go on at once, and writes succeed again once the file can be written.
   * Inside a batch, the batch has failed as a whole.
   *
   * @return {@code STATUS_DISK_FULL} if the device is full, else {@code STATUS_REGISTRY_IO_FAILED}
   */
  @GuardedBy("registryLock")
  private NtStatus abortLocked(MVStoreException failure) {
    rollbackLocked();
    NtStatus status = failures.writeFailed(failure, "a change");
    if (stableCells.isClosed()) {
      ioFailed = true;
      reopenLocked();
    }
    if (inBatch) {
      batchFailure = status;
    }
    return status;
  }

  /** Drops the uncommitted changes of both stores, as far as a failing store still allows. */
  @GuardedBy("registryLock")
  private void rollbackLocked() {
    try {
      if (!stableCells.isClosed()) {
        stableCells.rollback();
      }
    } catch (MVStoreException secondFailure) {
      // The store is failing already; the caller reports it.
    }
    volatileCells.rollback();
  }

  /**
   * Replaces a file store that gave up with one opened afresh from the file. Models the recovery
   * NT's lazy writer makes once a hive can be written again (partial: NT keeps the dirty hive in
   * memory; here the uncommitted change was dropped and its call failed).
   *
   * @return whether the hive is usable again
   */
  @GuardedBy("registryLock")
  private boolean reopenLocked() {
    if (file == null) {
      return !stableCells.isClosed();
    }
    try {
      stableCells.closeImmediately();
    } catch (RuntimeException e) {
      // It failed already; all that matters is that it lets go of the file.
    }
    try {
      stableCells = CellStore.openFile(file);
    } catch (RuntimeException e) {
      failures.reopenFailed(e);
      ioFailed = true;
      return false;
    }
    ioFailed = false;
    // Ids issued before the failure are never issued again, committed or not.
    nextStableId = Math.max(nextStableId, stableCells.highestKeyId() + 1);
    commitsSinceFlush = 0;
    lastFlushNanos = System.nanoTime();
    failures.reopened();
    return true;
  }
}
