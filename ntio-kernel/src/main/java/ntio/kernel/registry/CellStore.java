package ntio.kernel.registry;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * One storage class of the registry (NT's {@code Stable} or {@code Volatile} storage): the key
 * cells, the subkey index, the values and the value order, each an MVStore map.
 *
 * <p>Not thread-safe: every call is made by the holder of the owning {@link Hive}'s registry lock.
 */
final class CellStore {

  /*
   * Implementation notes.
   *
   * Four maps, all ordered, all counted B-trees (MVMap keeps the size of every subtree, so the
   * index of a key and the key at an index are O(log n)):
   *
   *   key   id -> KeyCell
   *   sub   hex16(parent) + UPCASE(name) -> child id   (NT's subkey index, sorted as NT sorts it)
   *   val   hex16(key) + UPCASE(name) -> ValueCell      (lookup by name)
   *   ord   hex16(key) + hex16(ordinal) -> UPCASE(name) (NT's value list, in creation order)
   *
   * Every entry of one key (or parent) shares the fixed 16-character prefix, and every such entry
   * sorts below hex16(id + 1), so a key's entries are the index range [rank(hex16(id)),
   * rank(hex16(id + 1))). That makes counting and enumerating by index cheap no matter how many
   * subkeys or values a key has.
   *
   * A subkey's index entry lives in the child's own store: a volatile child of a stable parent is
   * indexed in the volatile store and vanishes with it.
   *
   * The file store runs with auto-commit off and an auto-commit buffer of 0: MVStore then writes
   * only when commit() is called, so no half-done change of several maps ever reaches the file.
   * commit() serializes and writes the chunk on the calling thread and returns after the write
   * call, so the data is in the operating system's cache and survives the death of the process.
   * sync() forces it to the device. Space of dead chunks is reused at once (retention time 0),
   * except that the version current at the last sync() stays pinned until the next one: a power
   * failure can never find the last forced version overwritten.
   */

  private static final String FORMAT_MAP = "hive";
  private static final String FORMAT_KEY = "format";
  private static final String FORMAT = "ntio-registry-1";

  private static final String KEYS = "key";
  private static final String SUBKEYS = "sub";
  private static final String VALUES = "val";
  private static final String ORDER = "ord";

  /** Compaction target at each lazy flush: rewrite chunks less than this percent full. */
  private static final int COMPACT_FILL_RATE = 80;

  /** Compaction budget at each lazy flush, in bytes written. */
  private static final int COMPACT_WRITE_BYTES = 1 << 20;

  /** MVStore's page split size for the file store: small pages keep each commit small. */
  private static final int PAGE_SPLIT_SIZE = 4096;

  private final MVStore store;
  private final boolean persistent;
  private final MVMap<Long, byte[]> keys;

  /** How many decoded key cells {@link #decodedKeys} keeps. */
  static final int DECODED_KEY_CACHE_SIZE = 4096;

  /**
   * Key cells already decoded, by id, least recently used first: NT's key control blocks. Every
   * path walk and value call reads cells; decoding each from its bytes every time was most of a
   * service-key lookup. Kept in step with {@link #keys} by {@link #putKey}, {@link #removeKey} and
   * {@link #rollback}; cells are immutable records.
   */
  private final Map<Long, KeyCell> decodedKeys = Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, KeyCell> eldest) {
          return size() > DECODED_KEY_CACHE_SIZE;
        }
      });
  private final MVMap<String, Long> subkeys;
  private final MVMap<String, byte[]> values;
  private final MVMap<String, String> order;

  @GuardedBy("this")
  private MVStore.TxCounter flushedVersionPin;

  private CellStore(MVStore store, boolean persistent) {
    this.store = store;
    this.persistent = persistent;
    this.keys =
        store.openMap(
            KEYS,
            new MVMap.Builder<Long, byte[]>()
                .keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    this.subkeys =
        store.openMap(
            SUBKEYS,
            new MVMap.Builder<String, Long>()
                .keyType(StringDataType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
    this.values =
        store.openMap(
            VALUES,
            new MVMap.Builder<String, byte[]>()
                .keyType(StringDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    this.order =
        store.openMap(
            ORDER,
            new MVMap.Builder<String, String>()
                .keyType(StringDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
  }

  /**
   * Opens (or creates) the file store.
   *
   * @throws org.h2.mvstore.MVStoreException if the file cannot be opened or is not a hive
   */
  static CellStore openFile(Path file) {
    MVStore store;
    try {
      store =
          new MVStore.Builder()
              .fileName(file.toString())
              .autoCommitDisabled()
              .autoCommitBufferSize(0)
              .pageSplitSize(PAGE_SPLIT_SIZE)
              .open();
    } catch (IllegalArgumentException e) {
      // MVStore refuses a missing directory or an unusable path this way.
      throw DataUtils.newMVStoreException(
          DataUtils.ERROR_READING_FAILED, "cannot open {0}: {1}", file, e.getMessage());
    }
    try {
      checkFormat(store, file);
      store.setRetentionTime(0);
      CellStore cells = new CellStore(store, true);
      cells.pinFlushedVersion();
      return cells;
    } catch (RuntimeException e) {
      store.closeImmediately();
      throw e;
    }
  }

  /**
   * Marks a new store as a hive, or checks that an existing one is: a file that holds some other
   * MVStore is refused before anything is written to it.
   */
  private static void checkFormat(MVStore store, Path file) {
    if (store.getMapNames().isEmpty()) {
      MVMap<String, String> format = store.openMap(FORMAT_MAP);
      format.put(FORMAT_KEY, FORMAT);
      store.commit();
      return;
    }
    String found =
        store.hasMap(FORMAT_MAP) ? store.<String, String>openMap(FORMAT_MAP).get(FORMAT_KEY) : null;
    if (!FORMAT.equals(found)) {
      throw DataUtils.newMVStoreException(
          DataUtils.ERROR_UNSUPPORTED_FORMAT,
          "{0} is not an ntio hive (format {1}, expected {2})",
          file,
          found,
          FORMAT);
    }
  }

  /** A store that lives in memory only. */
  static CellStore inMemory() {
    return new CellStore(new MVStore.Builder().autoCommitDisabled().open(), false);
  }

  boolean isPersistent() {
    return persistent;
  }

  // ---- keys

  KeyCell key(long id) {
    KeyCell cached = decodedKeys.get(id);
    if (cached != null) {
      return cached;
    }
    byte[] bytes = keys.get(id);
    if (bytes == null) {
      return null;
    }
    KeyCell cell = KeyCell.decode(bytes);
    decodedKeys.put(id, cell);
    return cell;
  }

  void putKey(long id, KeyCell cell) {
    keys.put(id, cell.encode());
    decodedKeys.put(id, cell);
  }

  void removeKey(long id) {
    keys.remove(id);
    decodedKeys.remove(id);
  }

  /** The highest key id stored, or 0 if there is none. */
  long highestKeyId() {
    Long last = keys.lastKey();
    return last == null ? 0 : last;
  }

  boolean isEmpty() {
    return keys.isEmpty();
  }

  // ---- the subkey index

  Long child(long parentId, String upcasedName) {
    return subkeys.get(prefix(parentId) + upcasedName);
  }

  void putChild(long parentId, String upcasedName, long childId) {
    subkeys.put(prefix(parentId) + upcasedName, childId);
  }

  void removeChild(long parentId, String upcasedName) {
    subkeys.remove(prefix(parentId) + upcasedName);
  }

  long childCount(long parentId) {
    return rangeSize(subkeys, parentId);
  }

  /** The id of the parent's {@code index}-th child in upcased-name order; index is in range. */
  long childAt(long parentId, long index) {
    String key = subkeys.getKey(rank(subkeys, prefix(parentId)) + index);
    return subkeys.get(key);
  }

  // ---- values

  ValueCell value(long keyId, String upcasedName) {
    byte[] bytes = values.get(prefix(keyId) + upcasedName);
    return bytes == null ? null : ValueCell.decode(bytes);
  }

  void putValue(long keyId, String upcasedName, ValueCell cell, boolean isNew) {
    values.put(prefix(keyId) + upcasedName, cell.encode());
    if (isNew) {
      order.put(prefix(keyId) + hex16(cell.ordinal()), upcasedName);
    }
  }

  void removeValue(long keyId, String upcasedName, long ordinal) {
    values.remove(prefix(keyId) + upcasedName);
    order.remove(prefix(keyId) + hex16(ordinal));
  }

  long valueCount(long keyId) {
    return rangeSize(order, keyId);
  }

  /** The key's {@code index}-th value in creation order; index is in range. */
  ValueCell valueAt(long keyId, long index) {
    String upcasedName = order.get(order.getKey(rank(order, prefix(keyId)) + index));
    return value(keyId, upcasedName);
  }

  void removeAllValues(long keyId) {
    for (String key : keysWithPrefix(order, keyId)) {
      String upcasedName = order.remove(key);
      values.remove(prefix(keyId) + upcasedName);
    }
  }

  // ---- persistence

  /** Commits every change since the last commit; whether there was any. */
  boolean commit() {
    boolean changed = store.hasUnsavedChanges();
    store.commit();
    return changed;
  }

  /**
   * Drops every change since the last commit. A file store's rollback re-reads the store header
   * (milliseconds), so it is skipped when there is nothing to drop, the common case of a call
   * refused before it wrote anything.
   */
  void rollback() {
    if (store.hasUnsavedChanges()) {
      store.rollback();
      // Cells decoded since the last commit may be ones the rollback just undid.
      decodedKeys.clear();
    }
  }

  /**
   * Compacts a little, commits, forces the file to the device and moves the pin to the version just
   * forced. Models {@code HvSyncHive} (partial). A no-op for a store in memory.
   */
  synchronized void flush() {
    if (!persistent) {
      return;
    }
    store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES);
    store.commit();
    store.sync();
    MVStore.TxCounter previous = flushedVersionPin;
    pinFlushedVersion();
    if (previous != null) {
      store.deregisterVersionUsage(previous);
    }
  }

  private synchronized void pinFlushedVersion() {
    flushedVersionPin = store.registerVersionUsage();
  }

  void close() {
    store.close();
  }

  void closeImmediately() {
    store.closeImmediately();
  }

  boolean isClosed() {
    return store.isClosed();
  }

  // ---- whole-store walks, for the integrity check

  void forEachKey(BiConsumer<Long, KeyCell> action) {
    for (Map.Entry<Long, byte[]> e : keys.entrySet()) {
      action.accept(e.getKey(), KeyCell.decode(e.getValue()));
    }
  }

  void forEachChildEntry(BiConsumer<String, Long> action) {
    for (Map.Entry<String, Long> e : subkeys.entrySet()) {
      action.accept(e.getKey(), e.getValue());
    }
  }

  void forEachValueEntry(BiConsumer<String, ValueCell> action) {
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      action.accept(e.getKey(), ValueCell.decode(e.getValue()));
    }
  }

  void forEachOrderEntry(BiConsumer<String, String> action) {
    for (Map.Entry<String, String> e : order.entrySet()) {
      action.accept(e.getKey(), e.getValue());
    }
  }

  // ---- prefix arithmetic

  static final int PREFIX_LENGTH = 16;

  static String prefix(long id) {
    return hex16(id);
  }

  static long idOfPrefix(String key) {
    return Long.parseUnsignedLong(key.substring(0, PREFIX_LENGTH), 16);
  }

  private static String hex16(long value) {
    char[] digits = new char[PREFIX_LENGTH];
    for (int i = PREFIX_LENGTH - 1; i >= 0; i--) {
      digits[i] = Character.forDigit((int) (value & 0xF), 16);
      value >>>= 4;
    }
    return new String(digits);
  }

  private static long rank(MVMap<String, ?> map, String key) {
    long index = map.getKeyIndex(key);
    return index >= 0 ? index : -(index + 1);
  }

  private static long rangeSize(MVMap<String, ?> map, long id) {
    return rank(map, prefix(id + 1)) - rank(map, prefix(id));
  }

  private static List<String> keysWithPrefix(MVMap<String, ?> map, long id) {
    String from = prefix(id);
    List<String> found = new ArrayList<>();
    Iterator<String> it = map.keyIterator(from);
    while (it.hasNext()) {
      String key = it.next();
      if (!key.startsWith(from)) {
        break;
      }
      found.add(key);
    }
    return found;
  }
}
