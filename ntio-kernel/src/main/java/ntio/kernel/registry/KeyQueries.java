package ntio.kernel.registry;

import ntio.api.KeyInfo;
import ntio.api.KeyInfoResult;
import ntio.api.ValueResult;
import ntio.ddk.NtStatus;

/**
 * The queries on keys and values: find a subkey by name, describe a key, read a value, enumerate
 * subkeys and values by index. Models {@code CmQueryKey}, {@code CmQueryValueKey}, {@code
 * CmEnumerateKey} and {@code CmEnumerateValueKey} of {@code cmapi.c} (see {@link Hive} for each
 * contract).
 *
 * <p>Not thread-safe: confined to the holder of the registry lock ({@link RegistryLock}).
 */
final class KeyQueries {

  private final KeyCells cells;

  KeyQueries(KeyCells cells) {
    this.cells = cells;
  }

  /** The subkey with this name; as {@link Hive#lookupChild}. */
  KeyResult lookupChild(long parentId, String name) {
    NtStatus refused = refusal(parentId, KeyNames.checkKeyName(name));
    if (!refused.isSuccess()) {
      return KeyResult.failed(refused);
    }
    Long child = cells.findChild(parentId, KeyNames.upcase(name));
    return child == null
        ? KeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
        : KeyResult.found(child);
  }

  /** What the key holds and where it is; as {@link Hive#info}. */
  KeyInfoResult info(long keyId) {
    KeyCell cell = cells.cell(keyId);
    if (cell == null) {
      return KeyInfoResult.failed(cells.missingKeyStatus(keyId));
    }
    KeyInfo info =
        new KeyInfo(
            keyId,
            cell.name(),
            cell.parentId(),
            cells.path(cell),
            Hive.isVolatileId(keyId),
            cell.isLink(),
            cell.lastWriteTime(),
            Math.toIntExact(cells.subkeyCount(keyId)),
            Math.toIntExact(cells.cellsOf(keyId).valueCount(keyId)),
            cell.maxNameBytes(),
            cell.maxValueNameBytes(),
            cell.maxValueDataBytes());
    return new KeyInfoResult(NtStatus.STATUS_SUCCESS, info);
  }

  /** Whether the key is a link key; false for a key that is gone. */
  boolean isLink(long keyId) {
    KeyCell cell = cells.cell(keyId);
    return cell != null && cell.isLink();
  }

  /** The value with this name; as {@link Hive#queryValue}. */
  ValueResult queryValue(long keyId, String name) {
    NtStatus refused = refusal(keyId, KeyNames.checkValueName(name));
    if (!refused.isSuccess()) {
      return ValueResult.failed(refused);
    }
    ValueCell cell = cells.cellsOf(keyId).value(keyId, KeyNames.upcase(name));
    return cell == null
        ? ValueResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
        : new ValueResult(NtStatus.STATUS_SUCCESS, cell.value());
  }

  /** The key's {@code index}-th value; as {@link Hive#enumerateValue}. */
  ValueResult enumerateValue(long keyId, int index) {
    if (cells.cell(keyId) == null) {
      return ValueResult.failed(cells.missingKeyStatus(keyId));
    }
    CellStore store = cells.cellsOf(keyId);
    long position = Integer.toUnsignedLong(index);
    if (position >= store.valueCount(keyId)) {
      return ValueResult.failed(NtStatus.STATUS_NO_MORE_ENTRIES);
    }
    return new ValueResult(NtStatus.STATUS_SUCCESS, store.valueAt(keyId, position).value());
  }

  /** The key's {@code index}-th subkey; as {@link Hive#enumerateKey}. */
  EnumeratedKey enumerateKey(long keyId, int index) {
    if (cells.cell(keyId) == null) {
      return EnumeratedKey.failed(cells.missingKeyStatus(keyId));
    }
    Long childId = cells.subkeyAt(keyId, Integer.toUnsignedLong(index));
    if (childId == null) {
      return EnumeratedKey.failed(NtStatus.STATUS_NO_MORE_ENTRIES);
    }
    KeyCell child = cells.existingCell(childId);
    return new EnumeratedKey(
        NtStatus.STATUS_SUCCESS, childId, child.name(), child.lastWriteTime());
  }

  /**
   * Why a lookup by name in the key is refused: {@code STATUS_KEY_DELETED} if the key is gone
   * (checked first, as NT does), else the name's check; a success if neither refuses it.
   */
  private NtStatus refusal(long keyId, NtStatus nameStatus) {
    if (cells.cell(keyId) == null) {
      return cells.missingKeyStatus(keyId);
    }
    return nameStatus;
  }
}
