package ntio.kernel.registry;

import java.util.ArrayDeque;
import java.util.Deque;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;

/**
 * The changes to keys and values other than creating keys: set and delete a value, delete a key
 * or a whole subtree, mark a hive root. Models {@code CmSetValueKey}, {@code CmDeleteValueKey}
 * and {@code CmDeleteKey} of {@code cmapi.c} (full; {@link Hive} states each contract).
 *
 * <p>Not thread-safe: confined to the holder of the registry lock ({@link RegistryLock}). Each
 * change is left uncommitted, for the caller's commit or rollback.
 */
final class KeyChanges {

  private final KeyCells cells;

  KeyChanges(KeyCells cells) {
    this.cells = cells;
  }

  /** Deletes the key; as {@link Hive#deleteKey}. */
  NtStatus deleteKey(long keyId) {
    KeyCell cell = cells.cell(keyId);
    if (cell == null) {
      return cells.missingKeyStatus(keyId);
    }
    if (cell.isNoDelete() || cells.subkeyCount(keyId) > 0) {
      return NtStatus.STATUS_CANNOT_DELETE;
    }
    long parentId = cell.parentId();
    KeyCell parent = cells.existingCell(parentId);
    CellStore store = cells.cellsOf(keyId);
    store.removeAllValues(keyId);
    store.removeChild(parentId, KeyNames.upcase(cell.name()));
    store.removeKey(keyId);
    int maxNameBytes = cells.subkeyCount(parentId) == 0 ? 0 : parent.maxNameBytes();
    cells.cellsOf(parentId).putKey(parentId, parent.withSubkeys(cells.now(), maxNameBytes));
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Deletes the subtree children first; as {@link Hive#deleteTree}. Depth first with a stack of
   * its own, not the thread's: a tree may be deeper than any stack (a hive written before the depth
   * limit, or by another tool).
   */
  NtStatus deleteTree(long keyId) {
    if (cells.cell(keyId) == null) {
      return cells.missingKeyStatus(keyId);
    }
    Deque<Long> path = new ArrayDeque<>();
    path.push(keyId);
    while (!path.isEmpty()) {
      long current = path.peek();
      if (cells.existingCell(current).isNoDelete()) {
        return NtStatus.STATUS_CANNOT_DELETE;
      }
      Long first = cells.subkeyAt(current, 0);
      if (first != null) {
        path.push(first);
        continue;
      }
      NtStatus status = deleteKey(current);
      if (!status.isSuccess()) {
        return status;
      }
      path.pop();
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** Marks the key as a hive root; as {@link Hive#markNoDelete}. */
  NtStatus markNoDelete(long keyId) {
    KeyCell cell = cells.cell(keyId);
    if (cell == null) {
      return cells.missingKeyStatus(keyId);
    }
    if (!cell.isNoDelete()) {
      cells.cellsOf(keyId).putKey(keyId, cell.withFlags(cell.flags() | KeyCell.FLAG_NO_DELETE));
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** Sets the value; as {@link Hive#setValue(long, RegValue)}. */
  NtStatus setValue(long keyId, RegValue value) {
    KeyCell cell = cells.cell(keyId);
    if (cell == null) {
      return cells.missingKeyStatus(keyId);
    }
    NtStatus nameStatus = KeyNames.checkValueName(value.name());
    if (!nameStatus.isSuccess()) {
      return nameStatus;
    }
    if (value.dataLength() > KeyNames.MAX_VALUE_DATA_BYTES) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    CellStore store = cells.cellsOf(keyId);
    String upcased = KeyNames.upcase(value.name());
    ValueCell existing = store.value(keyId, upcased);
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
    store.putValue(keyId, upcased, stored, existing == null);
    store.putKey(
        keyId,
        cell.withValues(
            cells.now(),
            Math.max(cell.maxValueNameBytes(), 2 * value.name().length()),
            Math.max(cell.maxValueDataBytes(), value.dataLength()),
            nextOrdinal));
    return NtStatus.STATUS_SUCCESS;
  }

  /** Deletes the value; as {@link Hive#deleteValue}. */
  NtStatus deleteValue(long keyId, String name) {
    KeyCell cell = cells.cell(keyId);
    if (cell == null) {
      return cells.missingKeyStatus(keyId);
    }
    NtStatus nameStatus = KeyNames.checkValueName(name);
    if (!nameStatus.isSuccess()) {
      return nameStatus;
    }
    CellStore store = cells.cellsOf(keyId);
    String upcased = KeyNames.upcase(name);
    ValueCell existing = store.value(keyId, upcased);
    if (existing == null) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    store.removeValue(keyId, upcased, existing.ordinal());
    boolean empty = store.valueCount(keyId) == 0;
    store.putKey(
        keyId,
        cell.withValues(
            cells.now(),
            empty ? 0 : cell.maxValueNameBytes(),
            empty ? 0 : cell.maxValueDataBytes(),
            cell.nextValueOrdinal()));
    return NtStatus.STATUS_SUCCESS;
  }
}
