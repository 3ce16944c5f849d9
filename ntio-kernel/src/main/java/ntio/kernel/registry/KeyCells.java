package ntio.kernel.registry;

import ntio.api.KeyInfo;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import ntio.ddk.NtStatus;

/**
 * The two storage classes of a hive seen as one tree of key cells: which store holds a key, its
 * cell, its subkeys across both stores, its path and level, a link's target, and the ids keys get.
 * Models the key control block lookups of {@code cmkcbncb.c} and {@code CmpFindSubKeyByName} /
 * {@code CmpFindSubKeyByNumber} across {@code Stable} and {@code Volatile} storage (partial).
 *
 * <p>Not thread-safe: confined to the holder of the registry lock ({@link RegistryLock}).
 */
final class KeyCells {

  /*
   * Implementation notes.
   *
   * A key's id says which store holds it: stable ids count up from 1 (the root), volatile ids from
   * 2^62. Each counter starts above every id ever issued by this hive, so an id that is absent but
   * below its counter was deleted (STATUS_KEY_DELETED), and one at or above it was never issued
   * here (a bug in the caller). Stable ids may repeat across reopenings of the file, which is
   * harmless: no Key object outlives its kernel.
   *
   * A subkey's index entry lives in the child's own store: a volatile child of a stable parent is
   * indexed in the volatile store. Subkeys are enumerated stable first, then volatile.
   */

  private final HiveFile stable;
  private final CellStore volatileCells;
  private final Clock clock;

  /** The id the next volatile key gets; above every volatile id this hive ever issued. */
  private long nextVolatileId = Hive.FIRST_VOLATILE_ID;

  KeyCells(HiveFile stable, CellStore volatileCells, Clock clock) {
    this.stable = stable;
    this.volatileCells = volatileCells;
    this.clock = clock;
  }

  /** The stable store as it is now (a reopening of the file replaces it). */
  CellStore stableCells() {
    return stable.cells();
  }

  CellStore volatileCells() {
    return volatileCells;
  }

  /** The store that holds the key (or would). */
  CellStore cellsOf(long keyId) {
    return Hive.isVolatileId(keyId) ? volatileCells : stable.cells();
  }

  /** The key's cell, or null if it is gone (or the id is not a key's). */
  KeyCell cell(long keyId) {
    return keyId <= 0 ? null : cellsOf(keyId).key(keyId);
  }

  /** The cell of a key the registry's own structure says exists. */
  KeyCell existingCell(long keyId) {
    KeyCell cell = cell(keyId);
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
  NtStatus missingKeyStatus(long keyId) {
    boolean issued =
        Hive.isVolatileId(keyId) ? keyId < nextVolatileId : stable.issued(keyId);
    if (!issued) {
      throw new IllegalArgumentException("key id " + keyId + " was never issued by this hive");
    }
    return NtStatus.STATUS_KEY_DELETED;
  }

  /** Gives out the id of a new key; never one issued before by this hive. */
  long issueId(boolean makeVolatile) {
    return makeVolatile ? nextVolatileId++ : stable.issueId();
  }

  /** The subkey of the parent with this upcased name, in either store, or null. */
  Long findChild(long parentId, String upcasedName) {
    if (Hive.isVolatileId(parentId)) {
      return volatileCells.child(parentId, upcasedName);
    }
    Long child = stable.cells().child(parentId, upcasedName);
    return child != null ? child : volatileCells.child(parentId, upcasedName);
  }

  long subkeyCount(long keyId) {
    return stable.cells().childCount(keyId) + volatileCells.childCount(keyId);
  }

  /**
   * The key's subkey at the position: the stable subkeys sorted by upcased name, then the volatile
   * ones; null past the last.
   */
  Long subkeyAt(long keyId, long position) {
    CellStore stableCells = stable.cells();
    long stableCount = stableCells.childCount(keyId);
    if (position < stableCount) {
      return stableCells.childAt(keyId, position);
    }
    if (position - stableCount < volatileCells.childCount(keyId)) {
      return volatileCells.childAt(keyId, position - stableCount);
    }
    return null;
  }

  /** The key's full name, {@code \REGISTRY\...}. */
  String path(KeyCell cell) {
    Deque<String> names = new ArrayDeque<>();
    names.push(cell.name());
    long parentId = cell.parentId();
    while (parentId != 0) {
      KeyCell parent = existingCell(parentId);
      names.push(parent.name());
      parentId = parent.parentId();
    }
    StringBuilder path = new StringBuilder();
    for (String name : names) {
      path.append('\\').append(name);
    }
    return path.toString();
  }

  /**
   * The key's level: {@code \REGISTRY} is 1, its subkeys 2, and so on (NT's {@code
   * TotalLevels}).
   */
  int level(long keyId) {
    int level = 1;
    for (long parentId = existingCell(keyId).parentId(); parentId != 0;
        parentId = existingCell(parentId).parentId()) {
      level++;
    }
    return level;
  }

  /**
   * The target of a link key, if its {@code SymbolicLinkValue} is a {@code REG_LINK} of even length
   * starting with {@code \}, as {@code CmpGetSymbolicLink} requires.
   */
  Optional<String> linkTarget(long keyId) {
    ValueCell cell = cellsOf(keyId).value(keyId, KeyNames.upcase(Hive.SYMBOLIC_LINK_VALUE));
    if (cell == null) {
      return Optional.empty();
    }
    return cell.value().linkTarget().filter(target -> target.startsWith("\\"));
  }

  /** The time now, as a key's last write time. */
  long now() {
    return KeyInfo.toFileTime(clock.instant());
  }

  /** Stores the root key unless the stable store has it; whether it did (uncommitted). */
  boolean ensureRoot() {
    if (stable.cells().key(Hive.ROOT_ID) != null) {
      return false;
    }
    HiveFile.putRoot(stable.cells(), clock);
    return true;
  }
}
