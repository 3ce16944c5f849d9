package ntio.kernel.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's structural invariants, checked over both stores. Models {@code CmCheckRegistry}
 * (partial: it reports, it never repairs).
 *
 * <p>Called with the registry lock held.
 */
final class HiveCheck {

  private HiveCheck() {}

  static List<String> check(CellStore stable, CellStore volatileCells) {
    List<String> problems = new ArrayList<>();
    checkStore(stable, false, stable, volatileCells, problems);
    checkStore(volatileCells, true, stable, volatileCells, problems);
    return problems;
  }

  private static void checkStore(
      CellStore cells,
      boolean isVolatile,
      CellStore stable,
      CellStore volatileCells,
      List<String> problems) {
    String store = isVolatile ? "volatile" : "stable";
    cells.forEachKey(
        (id, cell) -> {
          if (Hive.isVolatileId(id) != isVolatile) {
            problems.add("key " + id + " is in the " + store + " store");
          }
          if (id == Hive.ROOT_ID) {
            if (cell.parentId() != 0) {
              problems.add("the root has parent " + cell.parentId());
            }
            return;
          }
          CellStore parentCells = Hive.isVolatileId(cell.parentId()) ? volatileCells : stable;
          if (parentCells.key(cell.parentId()) == null) {
            problems.add("key " + id + " '" + cell.name() + "' has no parent " + cell.parentId());
          } else if (!isVolatile && Hive.isVolatileId(cell.parentId())) {
            problems.add("stable key " + id + " has volatile parent " + cell.parentId());
          }
          Long indexed = cells.child(cell.parentId(), KeyNames.upcase(cell.name()));
          if (indexed == null || !indexed.equals(id)) {
            problems.add("key " + id + " '" + cell.name() + "' is indexed as " + indexed);
          }
        });
    Map<Long, Long> childEntries = new HashMap<>();
    cells.forEachChildEntry(
        (entry, childId) -> {
          long parentId = CellStore.idOfPrefix(entry);
          childEntries.merge(parentId, 1L, Long::sum);
          String upcasedName = entry.substring(CellStore.PREFIX_LENGTH);
          KeyCell child = cells.key(childId);
          if (child == null) {
            problems.add("index entry " + entry + " names missing key " + childId);
          } else if (child.parentId() != parentId
              || !KeyNames.upcase(child.name()).equals(upcasedName)) {
            problems.add(
                "index entry " + entry + " names key " + childId + " '" + child.name() + "'");
          }
        });
    Map<String, Long> ordinals = new HashMap<>();
    cells.forEachValueEntry(
        (entry, value) -> {
          long keyId = CellStore.idOfPrefix(entry);
          KeyCell key = cells.key(keyId);
          if (key == null) {
            problems.add("value entry " + entry + " belongs to missing key " + keyId);
          } else if (value.ordinal() >= key.nextValueOrdinal()) {
            problems.add("value entry " + entry + " has ordinal " + value.ordinal());
          }
          if (!KeyNames.upcase(value.value().name())
              .equals(entry.substring(CellStore.PREFIX_LENGTH))) {
            problems.add("value entry " + entry + " holds value '" + value.value().name() + "'");
          }
          ordinals.put(entry, value.ordinal());
        });
    int[] orderEntries = {0};
    cells.forEachOrderEntry(
        (entry, upcasedName) -> {
          orderEntries[0]++;
          long keyId = CellStore.idOfPrefix(entry);
          String valueEntry = CellStore.prefix(keyId) + upcasedName;
          Long ordinal = ordinals.get(valueEntry);
          long listed = Long.parseUnsignedLong(entry.substring(CellStore.PREFIX_LENGTH), 16);
          if (ordinal == null || ordinal != listed) {
            problems.add("value list entry " + entry + " names " + valueEntry);
          }
        });
    childEntries.forEach(
        (parentId, entries) -> {
          if (cells.childCount(parentId) != entries) {
            problems.add(
                "key "
                    + parentId
                    + " counts "
                    + cells.childCount(parentId)
                    + " subkeys in the "
                    + store
                    + " index but has "
                    + entries);
          }
        });
    cells.forEachKey(
        (id, cell) -> {
          if (!childEntries.containsKey(id) && cells.childCount(id) != 0) {
            problems.add("key " + id + " counts " + cells.childCount(id) + " subkeys but has none");
          }
        });
    if (orderEntries[0] != ordinals.size()) {
      problems.add(
          store
              + " store has "
              + ordinals.size()
              + " values but "
              + orderEntries[0]
              + " value list entries");
    }
  }
}
