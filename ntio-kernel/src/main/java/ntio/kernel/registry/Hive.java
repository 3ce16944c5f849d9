package ntio.kernel.registry;

import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.ValueResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
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
   * A facade over the seams of the configuration manager, each its own package-private class:
   *
   *   RegistryLock  the registry lock and the one read/change wrapper every call goes through:
   *                 check the hive can be used, run, commit or roll back, map store failures
   *   HiveFile      the stable store and its file: create, open, lazy flush, reopen, close
   *   KeyCells      the two stores as one tree: cells, subkeys, paths, ids
   *   KeyParse      the key walk (CmpParseKey) and key creation (CmpDoCreate)
   *   KeyQueries    the queries (CmQueryKey, CmEnumerateKey, ...)
   *   KeyChanges    the other changes (CmSetValueKey, CmDeleteKey, ...)
   *
   * Two CellStores: the stable one (HiveFile's) and the volatile one (always memory). A batch
   * (RegFile import) holds the lock across many calls and commits or rolls back once at the end.
   */

  /** {@code REG_OPTION_VOLATILE}: the key lives in memory only (the API's value). */
  public static final int REG_OPTION_VOLATILE = KeyCreateResult.REG_OPTION_VOLATILE;

  /** {@code REG_OPTION_CREATE_LINK}: the key is a registry link. */
  public static final int REG_OPTION_CREATE_LINK = 0x2;

  /** {@code REG_CREATED_NEW_KEY}: the disposition of a create that made the key. */
  public static final int REG_CREATED_NEW_KEY = KeyCreateResult.REG_CREATED_NEW_KEY;

  /** {@code REG_OPENED_EXISTING_KEY}: the disposition of a create that found the key. */
  public static final int REG_OPENED_EXISTING_KEY = KeyCreateResult.REG_OPENED_EXISTING_KEY;

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

  private final RegistryLock lock;
  private final KeyCells cells;
  private final KeyParse parse;
  private final KeyQueries queries;
  private final KeyChanges changes;

  private Hive(HiveFile stable, Clock clock) {
    CellStore volatileCells = CellStore.inMemory();
    this.lock = new RegistryLock(stable, volatileCells);
    this.cells = new KeyCells(stable, volatileCells, clock);
    this.parse = new KeyParse(cells);
    this.queries = new KeyQueries(cells);
    this.changes = new KeyChanges(cells);
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
    HiveFile stable = null;
    try {
      stable = HiveFile.open(file);
      Hive hive = new Hive(stable, Clock.systemUTC());
      hive.ensureRoot();
      return new OpenResult(NtStatus.STATUS_SUCCESS, hive);
    } catch (MVStoreException e) {
      if (stable != null) {
        stable.closeImmediately();
      }
      return new OpenResult(HiveFile.statusOfOpenFailure(e), null);
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
    Hive hive = new Hive(HiveFile.inMemory(), Clock.systemUTC());
    hive.ensureRoot();
    return hive;
  }

  private void ensureRoot() {
    lock.locked(
        () -> {
          if (cells.ensureRoot()) {
            cells.stableCells().commit();
          }
          return null;
        });
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
    return lock.read(KeyResult::failed, () -> queries.lookupChild(parentId, name));
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
    return lock.change(
        CreateKeyResult::failed,
        CreateKeyResult::status,
        () -> parse.createKey(parentId, name, options));
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
    return lock.change(
        CreateKeyResult::failed,
        CreateKeyResult::status,
        () -> parse.createPath(startId, components, options));
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
    return lock.read(
        KeyResult::failed, () -> parse.resolvePath(startId, components, followLinks));
  }

  /**
   * What the key holds and where it is. Models {@code NtQueryKey} with {@code KeyFullInformation}
   * and {@code KeyNameInformation} (partial: no class name).
   *
   * @return {@code STATUS_SUCCESS} with the information, or {@code STATUS_KEY_DELETED}
   */
  public KeyInfoResult info(long keyId) {
    return lock.read(KeyInfoResult::failed, () -> queries.info(keyId));
  }

  /**
   * Deletes the key and its values; its id answers {@code STATUS_KEY_DELETED} from then on. Models
   * {@code NtDeleteKey} / {@code CmDeleteKey} (full).
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_CANNOT_DELETE} while the key has subkeys, or for
   *     the root and the hive roots; {@code STATUS_KEY_DELETED}
   */
  public NtStatus deleteKey(long keyId) {
    return lock.change(() -> changes.deleteKey(keyId));
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
    return lock.change(() -> changes.setValue(keyId, value));
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
    return lock.read(ValueResult::failed, () -> queries.queryValue(keyId, name));
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
    return lock.change(() -> changes.deleteValue(keyId, name));
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
    return lock.read(ValueResult::failed, () -> queries.enumerateValue(keyId, index));
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
    return lock.read(EnumeratedKey::failed, () -> queries.enumerateKey(keyId, index));
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
    return lock.flush();
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
    lock.close();
  }

  /**
   * Closes the hive to writes for good: every later change answers {@code STATUS_SYSTEM_SHUTDOWN}
   * and leaves nothing behind, in memory or in the file; reads go on. Called when the kernel halts
   * (bug check). Waits for a change in progress, so that once it returns no change commits.
   * Idempotent. Models nothing of NT by itself (partial: a halted NT machine runs no more code at
   * all; this is the part of that which keeps the hive as it was at the halt).
   */
  public void sealWrites() {
    lock.seal();
  }

  // ---- package-private services for HiveLayout, RegFile and the tests

  /**
   * Marks a key as a hive root, which {@link #deleteKey} refuses. Models {@code KEY_NO_DELETE} on a
   * hive's root cell (full).
   */
  NtStatus markNoDelete(long keyId) {
    return lock.change(() -> changes.markNoDelete(keyId));
  }

  /**
   * Deletes the key and its whole subtree, children first; link keys inside are deleted, not
   * followed. Models {@code RegDeleteTree} (partial: one atomic change).
   *
   * @return as for {@link #deleteKey}; a no-delete key anywhere in the subtree refuses the whole
   *     deletion
   */
  NtStatus deleteTree(long keyId) {
    return lock.change(() -> changes.deleteTree(keyId));
  }

  /**
   * Takes the registry lock and starts a batch: the changes of this thread commit together at
   * {@link #endBatch}, or not at all. Every {@code beginBatch} must be followed by one {@code
   * endBatch} in a {@code finally}.
   */
  void beginBatch() {
    lock.beginBatch();
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
    return lock.endBatch(outcome);
  }

  /**
   * Whether the key is a link key; false for a key that is gone. Costs one cell lookup, where
   * {@link #info} also walks to the root for the key's path.
   */
  boolean isLink(long keyId) {
    return lock.read(status -> false, () -> queries.isLink(keyId));
  }

  /** Runs the reader under the registry lock, so that it sees one consistent registry. */
  <T> T underRegistryLock(Supplier<T> reader) {
    return lock.locked(reader);
  }

  /**
   * Every inconsistency between the key cells, the subkey index and the value lists, in words;
   * empty for a sound registry. Models {@code CmCheckRegistry} (partial: reports, never repairs).
   */
  List<String> checkRegistry() {
    return lock.locked(() -> HiveCheck.check(cells.stableCells(), cells.volatileCells()));
  }

  static boolean isVolatileId(long keyId) {
    return keyId >= FIRST_VOLATILE_ID;
  }
}
