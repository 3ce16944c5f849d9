package ntio.kernel.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hive's write gate, closed when the kernel halts: whoever reaches the hive afterwards — even a
 * caller past every other gate — changes nothing, in memory or in the file, and reads go on.
 */
class HiveSealTest {

  private static byte[] text(String value) {
    return (value + "\0").getBytes(StandardCharsets.UTF_16LE);
  }

  @Test
  void aSealedHiveRefusesEveryChangeWithSystemShutdownAndKeepsWhatWasWrittenBefore(@TempDir Path dir) {
    Path file = dir.resolve("hive.mv");
    long keyId;
    try (Hive hive = Hive.open(file).hive()) {
      CreateKeyResult key = hive.createKey(hive.rootId(), "Services", 0);
      assertThat(key.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      keyId = key.keyId();
      assertThat(hive.setValue(keyId, "Before", RegType.REG_SZ, text("kept"))).isEqualTo(NtStatus.STATUS_SUCCESS);

      hive.sealWrites();

      assertThat(hive.setValue(keyId, "After", RegType.REG_SZ, text("planted")))
          .isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      assertThat(hive.createKey(keyId, "PlantedAfterHalt", 0).status())
          .isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      assertThat(hive.createKey(keyId, "Volatile", Hive.REG_OPTION_VOLATILE).status())
          .isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      assertThat(hive.deleteValue(keyId, "Before")).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      assertThat(hive.deleteKey(keyId)).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      assertThat(hive.queryValue(keyId, "After").status()).as("nothing was kept in memory")
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(hive.lookupChild(keyId, "PlantedAfterHalt").status())
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(hive.queryValue(keyId, "Before").status()).as("reads go on").isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    try (Hive reopened = Hive.open(file).hive()) {
      assertThat(reopened.queryValue(keyId, "Before").status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(reopened.queryValue(keyId, "After").status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(reopened.lookupChild(keyId, "PlantedAfterHalt").status())
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
  }
}
