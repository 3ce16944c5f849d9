package ntio.kernel.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.KeyInfo;
import ntio.api.RegImportResult;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change that fails part-way leaves nothing behind — not in the store, and not in the cells the
 * hive keeps decoded: every key reads exactly as it did before.
 */
class HiveRollbackTest {

  @TempDir Path temp;

  @Test
  void anImportThatFailsPartWayLeavesEveryKeyAsItWas() {
    Hive hive = Hive.open(temp.resolve("SYSTEM.mv.db")).hive();
    try {
      HiveLayout.ensure(hive);
      long software = hive.resolvePath(hive.rootId(), List.of("MACHINE", "SOFTWARE"), true).keyId();
      KeyInfo before = hive.info(software).info();

      // The first key and value apply; the second key is stable under the volatile HARDWARE
      // and fails: the whole file must come to nothing.
      RegImportResult imported = RegFile.importText(hive, String.join("\r\n",
          "Windows Registry Editor Version 5.00",
          "",
          "[HKEY_LOCAL_MACHINE\\SOFTWARE\\StagedWithAMuchLongerNameThanAnyBefore]",
          "\"Value\"=dword:00000001",
          "",
          "[HKEY_LOCAL_MACHINE\\HARDWARE\\Stable]",
          ""));

      assertThat(imported.status()).isEqualTo(NtStatus.STATUS_CHILD_MUST_BE_VOLATILE);
      assertThat(hive.lookupChild(software, "StagedWithAMuchLongerNameThanAnyBefore").status())
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(hive.info(software).info()).isEqualTo(before);
    } finally {
      hive.close();
    }
  }
}
