package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_INSUFFICIENT_RESOURCES;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.KeyInfo;
import ntio.api.RegExportResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NT's registry limits: key depth ({@code CMP_MAX_REGISTRY_DEPTH}) and value data size; and trees
 * deeper than the limit, as an older hive may hold, walked without recursion.
 */
class HiveLimitsTest {

  @TempDir Path temp;

  /** Creates keys k2, k3, ... below the root until the last one is at {@code level}. */
  private static long chainTo(Hive hive, int level) {
    long parent = hive.rootId();
    for (int i = 2; i <= level; i++) {
      CreateKeyResult made = hive.createKey(parent, "k" + i, 0);
      assertThat(made.status()).as("level %d", i).isEqualTo(STATUS_SUCCESS);
      parent = made.keyId();
    }
    return parent;
  }

  @Test
  void aKeyAtLevel511IsCreatedAndOneAtLevel512IsInsufficientResources() {
    try (Hive hive = Hive.openInMemory()) {
      long deepest = chainTo(hive, KeyNames.MAX_KEY_DEPTH - 1);

      assertThat(hive.info(deepest).info().path().split("\\\\", -1))
          .hasSize(KeyNames.MAX_KEY_DEPTH); // the empty string before the first \, then 511 names
      assertThat(hive.createKey(deepest, "tooDeep", 0).status())
          .isEqualTo(STATUS_INSUFFICIENT_RESOURCES);
      assertThat(hive.createKey(deepest, "tooDeep", Hive.REG_OPTION_VOLATILE).status())
          .isEqualTo(STATUS_INSUFFICIENT_RESOURCES);
      assertThat(hive.info(deepest).info().subkeyCount()).isZero();
      assertThat(hive.checkRegistry()).isEmpty();
    }
  }

  @Test
  void aNestedCreatePastTheDepthLimitCreatesNothing() {
    try (Hive hive = Hive.openInMemory()) {
      List<String> components = new ArrayList<>();
      for (int i = 2; i <= KeyNames.MAX_KEY_DEPTH; i++) {
        components.add("k" + i);
      }

      assertThat(hive.createPath(hive.rootId(), components, 0).status())
          .isEqualTo(STATUS_INSUFFICIENT_RESOURCES);
      assertThat(hive.lookupChild(hive.rootId(), "k2").status())
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(hive.createPath(hive.rootId(), components.subList(0, components.size() - 1), 0)
          .status()).isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void valueDataOfOneMebibyteIsStoredAndOneByteMoreIsInsufficientResources() {
    try (Hive hive = Hive.openInMemory()) {
      long key = hive.createKey(hive.rootId(), "Big", 0).keyId();
      byte[] limit = new byte[KeyNames.MAX_VALUE_DATA_BYTES];
      limit[limit.length - 1] = 7;

      assertThat(hive.setValue(key, RegValue.binary("v", limit))).isEqualTo(STATUS_SUCCESS);
      assertThat(hive.setValue(key, RegValue.binary("v", new byte[limit.length + 1])))
          .isEqualTo(STATUS_INSUFFICIENT_RESOURCES);
      assertThat(hive.setValue(key, RegValue.binary("w", new byte[limit.length + 1])))
          .isEqualTo(STATUS_INSUFFICIENT_RESOURCES);

      assertThat(hive.queryValue(key, "v").value().data()).isEqualTo(limit);
      assertThat(hive.queryValue(key, "w").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    }
  }

  // A tree deeper than the limit, written directly into the store as an older hive could hold it.

  /** Deeper than the limit, and deeper than a recursive walk survives on {@link #SMALL_STACK}. */
  private static final int LEGACY_DEPTH = 2000;

  /** A thread stack far too small for thousands of nested walker frames. */
  private static final long SMALL_STACK = 128 << 10;

  /**
   * A hive file whose {@code \REGISTRY\MACHINE\Deep} holds a chain of {@link #LEGACY_DEPTH} keys,
   * the last with a value; returns the file.
   */
  private Path legacyHiveWithDeepTree() {
    Path file = temp.resolve("legacy.hive");
    CellStore cells = CellStore.openFile(file);
    try {
      long time = KeyInfo.toFileTime(java.time.Instant.parse("2020-01-01T00:00:00Z"));
      cells.putKey(Hive.ROOT_ID, KeyCell.create(0, Hive.ROOT_NAME, KeyCell.FLAG_NO_DELETE, time));
      long id = Hive.ROOT_ID;
      List<String> names = new ArrayList<>(List.of("MACHINE", "Deep"));
      for (int i = 1; i <= LEGACY_DEPTH; i++) {
        names.add("k");
      }
      for (String name : names) {
        long child = id + 1;
        cells.putKey(child, KeyCell.create(id, name, 0, time));
        cells.putChild(id, KeyNames.upcase(name), child);
        id = child;
      }
      KeyCell last = cells.key(id);
      ValueCell value = new ValueCell(0, RegValue.dword("Bottom", 42));
      cells.putValue(id, KeyNames.upcase("Bottom"), value, true);
      cells.putKey(id, last.withValues(time, 12, 4, 1));
      cells.commit();
      cells.flush();
    } finally {
      cells.close();
    }
    return file;
  }

  /** Runs the walk on a thread with a small stack; what it returned, or what it threw. */
  private static <T> T onSmallStack(java.util.function.Supplier<T> walk) throws InterruptedException {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      try {
        outcome.set(walk.get());
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "small-stack walker", SMALL_STACK);
    thread.start();
    thread.join();
    assertThat(outcome.get()).isNotInstanceOf(Throwable.class);
    @SuppressWarnings("unchecked")
    T result = (T) outcome.get();
    return result;
  }

  @Test
  @Timeout(60)
  void aTreeDeeperThanTheLimitIsExportedWithoutRecursion() throws Exception {
    Hive hive = Hive.open(legacyHiveWithDeepTree()).hive();
    try {
      long deep = hive.resolvePath(hive.rootId(), List.of("MACHINE", "Deep"), false).keyId();

      RegExportResult exported = onSmallStack(() -> RegFile.export(hive, deep));

      assertThat(exported.status()).as(exported.message()).isEqualTo(STATUS_SUCCESS);
      String deepest = "[HKEY_LOCAL_MACHINE\\Deep" + String.join("", Collections.nCopies(LEGACY_DEPTH, "\\k")) + "]";
      assertThat(exported.text()).contains(deepest + "\r\n\"Bottom\"=dword:0000002a");
    } finally {
      hive.close();
    }
  }

  @Test
  @Timeout(60)
  void aTreeDeeperThanTheLimitIsDeletedWithoutRecursion() throws Exception {
    Hive hive = Hive.open(legacyHiveWithDeepTree()).hive();
    try {
      long deep = hive.resolvePath(hive.rootId(), List.of("MACHINE", "Deep"), false).keyId();

      NtStatus deleted = onSmallStack(() -> hive.deleteTree(deep));

      assertThat(deleted).isEqualTo(STATUS_SUCCESS);
      assertThat(hive.resolvePath(hive.rootId(), List.of("MACHINE", "Deep"), false).status())
          .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(hive.checkRegistry()).isEmpty();
    } finally {
      hive.close();
    }
  }
}
