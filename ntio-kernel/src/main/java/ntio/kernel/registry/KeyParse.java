package ntio.kernel.registry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ntio.ddk.NtStatus;

/**
 * The key walk: a path's components looked up one by one below a start key, links reparsed, and
 * (for a create) the missing keys made. Models {@code CmpParseKey} with the reparse loop of {@code
 * ObpLookupObjectName} around it, and {@code CmpDoCreate} / {@code CmpDoOpen} for one component
 * (full for keys; {@link Hive#resolvePath} and {@link Hive#createKey} state the contracts).
 *
 * <p>Not thread-safe: confined to the holder of the registry lock ({@link RegistryLock}); a create
 * leaves its change uncommitted, for the caller's commit.
 */
final class KeyParse {

  static final int LEGAL_CREATE_OPTIONS = Hive.REG_OPTION_VOLATILE | Hive.REG_OPTION_CREATE_LINK;

  private final KeyCells cells;

  KeyParse(KeyCells cells) {
    this.cells = cells;
  }

  /** Creates the subkey, or opens it if it exists; as {@link Hive#createKey}. */
  CreateKeyResult createKey(long parentId, String name, int options) {
    if ((options & ~LEGAL_CREATE_OPTIONS) != 0) {
      return CreateKeyResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    KeyCell parent = cells.cell(parentId);
    if (parent == null) {
      return CreateKeyResult.failed(cells.missingKeyStatus(parentId));
    }
    NtStatus nameStatus = KeyNames.checkKeyName(name);
    if (!nameStatus.isSuccess()) {
      return CreateKeyResult.failed(nameStatus);
    }
    String upcased = KeyNames.upcase(name);
    Long existing = cells.findChild(parentId, upcased);
    if (existing != null) {
      // CmpDoOpen: a link create must make a new key.
      return (options & Hive.REG_OPTION_CREATE_LINK) != 0
          ? CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_COLLISION)
          : new CreateKeyResult(NtStatus.STATUS_SUCCESS, existing, Hive.REG_OPENED_EXISTING_KEY);
    }
    boolean makeVolatile = (options & Hive.REG_OPTION_VOLATILE) != 0;
    // CmpDoCreate checks in this order.
    if (Hive.isVolatileId(parentId) && !makeVolatile) {
      return CreateKeyResult.failed(NtStatus.STATUS_CHILD_MUST_BE_VOLATILE);
    }
    if (parent.isLink()) {
      return CreateKeyResult.failed(NtStatus.STATUS_ACCESS_DENIED);
    }
    if (cells.level(parentId) + 1 >= KeyNames.MAX_KEY_DEPTH) {
      // CmpCreateKeyControlBlock: (ParentKcb->TotalLevels + 1) < CMP_MAX_REGISTRY_DEPTH.
      return CreateKeyResult.failed(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }
    long now = cells.now();
    long childId = cells.issueId(makeVolatile);
    int flags = (options & Hive.REG_OPTION_CREATE_LINK) != 0 ? KeyCell.FLAG_LINK : 0;
    CellStore childCells = cells.cellsOf(childId);
    childCells.putKey(childId, KeyCell.create(parentId, name, flags, now));
    childCells.putChild(parentId, upcased, childId);
    cells
        .cellsOf(parentId)
        .putKey(
            parentId, parent.withSubkeys(now, Math.max(parent.maxNameBytes(), 2 * name.length())));
    return new CreateKeyResult(NtStatus.STATUS_SUCCESS, childId, Hive.REG_CREATED_NEW_KEY);
  }

  /** Opens the path, creating what is missing; as {@link Hive#createPath}. */
  CreateKeyResult createPath(long startId, List<String> components, int options) {
    if ((options & ~LEGAL_CREATE_OPTIONS) != 0) {
      return CreateKeyResult.failed(NtStatus.STATUS_INVALID_PARAMETER);
    }
    return walk(startId, components, true, true, options);
  }

  /** Walks the path; as {@link Hive#resolvePath}. */
  KeyResult resolvePath(long startId, List<String> components, boolean followLinks) {
    CreateKeyResult walked = walk(startId, components, followLinks, false, 0);
    return walked.status().isSuccess()
        ? KeyResult.found(walked.keyId())
        : KeyResult.failed(walked.status());
  }

  /**
   * The parse loop shared by {@link #resolvePath} and {@link #createPath}: walk the components,
   * reparse through links, and (when {@code create}) make what is missing.
   */
  private CreateKeyResult walk(
      long startId, List<String> components, boolean followFinalLink, boolean create, int options) {
    if (cells.cell(startId) == null) {
      return CreateKeyResult.failed(cells.missingKeyStatus(startId));
    }
    Deque<String> remaining = nonEmpty(components);
    long current = startId;
    int disposition = Hive.REG_OPENED_EXISTING_KEY;
    boolean followFinal = followFinalLink;
    int reparsesLeft = Hive.OBJ_MAX_REPARSE_ATTEMPTS;
    while (true) {
      KeyCell cell = cells.existingCell(current);
      if (cell.isLink() && (!remaining.isEmpty() || followFinal)) {
        // ObpLookupObjectName: if (--MaxReparse) reparse, else give up.
        if (--reparsesLeft == 0) {
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        Optional<String> target = cells.linkTarget(current);
        if (target.isEmpty()) {
          // CmpGetSymbolicLink failed.
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        Deque<String> reparsed = nonEmpty(List.of(target.get().split("\\\\", -1)));
        if (reparsed.isEmpty()) {
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
        }
        String first = reparsed.poll();
        if (!KeyNames.upcase(first).equals(Hive.ROOT_NAME)) {
          return CreateKeyResult.failed(
              reparsed.isEmpty() && remaining.isEmpty()
                  ? NtStatus.STATUS_OBJECT_NAME_NOT_FOUND
                  : NtStatus.STATUS_OBJECT_PATH_NOT_FOUND);
        }
        reparsed.addAll(remaining);
        remaining = reparsed;
        current = Hive.ROOT_ID;
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
      Long child = cells.findChild(current, KeyNames.upcase(name));
      if (child == null) {
        if (!create) {
          return CreateKeyResult.failed(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        }
        CreateKeyResult made =
            createKey(current, name, last ? options : options & Hive.REG_OPTION_VOLATILE);
        if (!made.status().isSuccess()) {
          return made;
        }
        child = made.keyId();
        if (last) {
          disposition = Hive.REG_CREATED_NEW_KEY;
          followFinal = false;
        }
      } else if (create && last && (options & Hive.REG_OPTION_CREATE_LINK) != 0) {
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
}
