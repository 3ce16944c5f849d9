package ntio.kernel.registry;

import java.util.List;
import java.util.OptionalInt;
import ntio.api.KeyInfoResult;
import ntio.api.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;

/**
 * The keys every boot needs, made if missing. Models the registry part of {@code CmInitSystem1}:
 * the machine and user roots, the control set and {@code Select}, the volatile {@code HARDWARE}
 * tree and the volatile {@code CurrentControlSet} link ({@code CmpCreateControlSet}) (partial: one
 * hive file holds what NT keeps in the SYSTEM and SOFTWARE hives).
 *
 * <p>The layout:
 *
 * <pre>
 * \REGISTRY                          stable, no-delete
 *   MACHINE                          stable
 *     HARDWARE                       volatile, no-delete
 *       DESCRIPTION\System           volatile
 *       DEVICEMAP                    volatile
 *       RESOURCEMAP                  volatile
 *     SOFTWARE                       stable, no-delete
 *     SYSTEM                         stable, no-delete
 *       ControlSet001\Control\Session Manager\Memory Management
 *       ControlSet001\Services
 *       CurrentControlSet            volatile link to ControlSet00n, n = Select\Current
 *       Select                       Current, Default, LastKnownGood = 1; Failed = 0
 *   USER                             stable
 * </pre>
 */
public final class HiveLayout {

  /** The value of {@code Select} naming the control set {@code CurrentControlSet} links to. */
  public static final String SELECT_CURRENT = "Current";

  private HiveLayout() {}

  /**
   * Makes every missing key and {@code Select} value of the layout and (re)creates the volatile
   * ones. Idempotent: run it at every boot; it changes nothing that exists, except that the link
   * {@code CurrentControlSet} is pointed at the control set {@code Select\Current} names.
   *
   * @return {@code STATUS_SUCCESS}, or the status of the first step that failed
   * @implNote {@code Select\Current} must be a 4-byte {@code REG_DWORD} from 1 to 999; otherwise
   *     (or if it is missing) control set 1 is used, as a boot without a valid selection would fall
   *     back to the default.
   */
  public static NtStatus ensure(Hive hive) {
    long root = hive.rootId();
    CreateKeyResult system = hive.createPath(root, List.of("MACHINE", "SYSTEM"), 0);
    if (!system.status().isSuccess()) {
      return system.status();
    }
    for (List<String> path :
        List.of(
            List.of("MACHINE", "SOFTWARE"),
            List.of("USER"),
            List.of(
                "MACHINE",
                "SYSTEM",
                "ControlSet001",
                "Control",
                "Session Manager",
                "Memory Management"),
            List.of("MACHINE", "SYSTEM", "ControlSet001", "Services"))) {
      CreateKeyResult made = hive.createPath(root, path, 0);
      if (!made.status().isSuccess()) {
        return made.status();
      }
    }
    CreateKeyResult select = hive.createPath(system.keyId(), List.of("Select"), 0);
    if (!select.status().isSuccess()) {
      return select.status();
    }
    String[] selectNames = {SELECT_CURRENT, "Default", "LastKnownGood", "Failed"};
    int[] selectDefaults = {1, 1, 1, 0};
    for (int i = 0; i < selectNames.length; i++) {
      NtStatus status = ensureDword(hive, select.keyId(), selectNames[i], selectDefaults[i]);
      if (!status.isSuccess()) {
        return status;
      }
    }
    int current = currentControlSet(hive, select.keyId());
    String controlSet = String.format("ControlSet%03d", current);
    for (List<String> path :
        List.of(List.of(controlSet, "Control"), List.of(controlSet, "Services"))) {
      CreateKeyResult made = hive.createPath(system.keyId(), path, 0);
      if (!made.status().isSuccess()) {
        return made.status();
      }
    }
    for (List<String> path :
        List.of(
            List.of("MACHINE", "HARDWARE", "DESCRIPTION", "System"),
            List.of("MACHINE", "HARDWARE", "DEVICEMAP"),
            List.of("MACHINE", "HARDWARE", "RESOURCEMAP"))) {
      CreateKeyResult made = hive.createPath(root, path, Hive.REG_OPTION_VOLATILE);
      if (!made.status().isSuccess()) {
        return made.status();
      }
    }
    NtStatus status = markHiveRoots(hive, root);
    if (!status.isSuccess()) {
      return status;
    }
    return ensureCurrentControlSet(hive, system.keyId(), controlSet);
  }

  private static NtStatus ensureDword(Hive hive, long keyId, String name, int value) {
    ValueResult existing = hive.queryValue(keyId, name);
    if (!existing.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      return existing.status();
    }
    return hive.setValue(keyId, RegValue.dword(name, value));
  }

  private static int currentControlSet(Hive hive, long selectId) {
    ValueResult current = hive.queryValue(selectId, SELECT_CURRENT);
    if (!current.status().isSuccess()) {
      return 1;
    }
    OptionalInt number = current.value().dwordValue();
    return number.isPresent() && number.getAsInt() >= 1 && number.getAsInt() <= 999
        ? number.getAsInt()
        : 1;
  }

  private static NtStatus markHiveRoots(Hive hive, long root) {
    for (String hiveRoot : List.of("HARDWARE", "SOFTWARE", "SYSTEM")) {
      KeyResult key = hive.resolvePath(root, List.of("MACHINE", hiveRoot), false);
      if (!key.status().isSuccess()) {
        return key.status();
      }
      NtStatus status = hive.markNoDelete(key.keyId());
      if (!status.isSuccess()) {
        return status;
      }
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Makes {@code CurrentControlSet} a volatile link to the control set, replacing a stable key of
   * that name (which only an older layout or an import could have left) and repointing an existing
   * link.
   */
  private static NtStatus ensureCurrentControlSet(Hive hive, long systemId, String controlSet) {
    String target = "\\" + Hive.ROOT_NAME + "\\MACHINE\\SYSTEM\\" + controlSet;
    KeyResult existing = hive.lookupChild(systemId, "CurrentControlSet");
    long linkId;
    if (existing.status().isSuccess()) {
      KeyInfoResult info = hive.info(existing.keyId());
      if (!info.status().isSuccess()) {
        return info.status();
      }
      if (info.info().isLink() && info.info().isVolatile()) {
        linkId = existing.keyId();
      } else {
        NtStatus deleted = hive.deleteTree(existing.keyId());
        if (!deleted.isSuccess()) {
          return deleted;
        }
        linkId = 0;
      }
    } else if (existing.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      linkId = 0;
    } else {
      return existing.status();
    }
    if (linkId == 0) {
      CreateKeyResult link =
          hive.createKey(
              systemId,
              "CurrentControlSet",
              Hive.REG_OPTION_VOLATILE | Hive.REG_OPTION_CREATE_LINK);
      if (!link.status().isSuccess()) {
        return link.status();
      }
      linkId = link.keyId();
    }
    return hive.setValue(linkId, RegValue.link(Hive.SYMBOLIC_LINK_VALUE, target));
  }
}
