package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_CANNOT_DELETE;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.KeyInfo;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HiveLayoutTest {

  private static KeyInfo key(Hive hive, String... path) {
    KeyResult key = hive.resolvePath(hive.rootId(), List.of(path), false);
    assertThat(key.status()).as(String.join("\\", path)).isEqualTo(STATUS_SUCCESS);
    return hive.info(key.keyId()).info();
  }

  @Test
  void ensureMakesTheBootLayoutWithNtsSpelling() {
    try (Hive hive = Hive.openInMemory()) {
      assertThat(HiveLayout.ensure(hive)).isEqualTo(STATUS_SUCCESS);

      assertThat(
              key(
                      hive,
                      "machine",
                      "system",
                      "controlset001",
                      "control",
                      "session manager",
                      "memory management")
                  .path())
          .isEqualTo(
              "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\"
                  + "Memory Management");
      assertThat(key(hive, "MACHINE", "SYSTEM", "ControlSet001", "Services").isVolatile())
          .isFalse();
      assertThat(key(hive, "MACHINE", "SOFTWARE").path())
          .isEqualTo("\\REGISTRY\\MACHINE\\SOFTWARE");
      assertThat(key(hive, "USER").path()).isEqualTo("\\REGISTRY\\USER");
      for (String volatileKey : List.of("DEVICEMAP", "RESOURCEMAP")) {
        assertThat(key(hive, "MACHINE", "HARDWARE", volatileKey).isVolatile()).isTrue();
      }
      KeyInfo system = key(hive, "MACHINE", "HARDWARE", "DESCRIPTION", "System");
      assertThat(system.path()).isEqualTo("\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\System");
      assertThat(system.isVolatile()).isTrue();
      assertThat(key(hive, "MACHINE", "HARDWARE").isVolatile()).isTrue();
    }
  }

  @Test
  void selectHoldsTheControlSetNumbers() {
    try (Hive hive = Hive.openInMemory()) {
      HiveLayout.ensure(hive);
      long select =
          hive.resolvePath(hive.rootId(), List.of("MACHINE", "SYSTEM", "Select"), true).keyId();

      assertThat(hive.queryValue(select, "Current").value().dwordValue()).hasValue(1);
      assertThat(hive.queryValue(select, "Default").value().dwordValue()).hasValue(1);
      assertThat(hive.queryValue(select, "LastKnownGood").value().dwordValue()).hasValue(1);
      assertThat(hive.queryValue(select, "Failed").value().dwordValue()).hasValue(0);
    }
  }

  @Test
  void currentControlSetIsAVolatileLinkToControlSet001() {
    try (Hive hive = Hive.openInMemory()) {
      HiveLayout.ensure(hive);

      KeyInfo link = key(hive, "MACHINE", "SYSTEM", "CurrentControlSet");
      assertThat(link.isLink()).isTrue();
      assertThat(link.isVolatile()).isTrue();
      assertThat(hive.queryValue(link.keyId(), Hive.SYMBOLIC_LINK_VALUE).value())
          .isEqualTo(
              RegValue.link(
                  Hive.SYMBOLIC_LINK_VALUE, "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001"));
    }
  }

  @Test
  void ensureIsIdempotentAndKeepsWhatAnAdministratorChanged() {
    try (Hive hive = Hive.openInMemory()) {
      HiveLayout.ensure(hive);
      long select = key(hive, "MACHINE", "SYSTEM", "Select").keyId();
      hive.setValue(select, RegValue.dword("LastKnownGood", 7));
      long services = key(hive, "MACHINE", "SYSTEM", "ControlSet001", "Services").keyId();
      long link = key(hive, "MACHINE", "SYSTEM", "CurrentControlSet").keyId();

      assertThat(HiveLayout.ensure(hive)).isEqualTo(STATUS_SUCCESS);

      assertThat(key(hive, "MACHINE", "SYSTEM", "ControlSet001", "Services").keyId())
          .isEqualTo(services);
      assertThat(key(hive, "MACHINE", "SYSTEM", "CurrentControlSet").keyId()).isEqualTo(link);
      assertThat(hive.queryValue(select, "LastKnownGood").value().dwordValue()).hasValue(7);
      assertThat(hive.checkRegistry()).isEmpty();
    }
  }

  @Test
  void afterAReopenEnsureRemakesTheVolatileKeys(@TempDir Path dir) {
    Path file = dir.resolve("hive.mv");
    try (Hive hive = Hive.open(file).hive()) {
      HiveLayout.ensure(hive);
    }
    try (Hive hive = Hive.open(file).hive()) {
      assertThat(hive.resolvePath(hive.rootId(), List.of("MACHINE", "HARDWARE"), false).status())
          .isEqualTo(ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);

      assertThat(HiveLayout.ensure(hive)).isEqualTo(STATUS_SUCCESS);

      assertThat(key(hive, "MACHINE", "HARDWARE", "DEVICEMAP").isVolatile()).isTrue();
      assertThat(key(hive, "MACHINE", "SYSTEM", "CurrentControlSet").isLink()).isTrue();
    }
  }

  @Test
  void currentControlSetFollowsSelectCurrent() {
    try (Hive hive = Hive.openInMemory()) {
      HiveLayout.ensure(hive);
      hive.setValue(key(hive, "MACHINE", "SYSTEM", "Select").keyId(), RegValue.dword("Current", 2));

      HiveLayout.ensure(hive);

      KeyResult services =
          hive.resolvePath(
              hive.rootId(), List.of("MACHINE", "SYSTEM", "CurrentControlSet", "Services"), true);
      assertThat(hive.info(services.keyId()).info().path())
          .isEqualTo("\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet002\\Services");
    }
  }

  @Test
  void theHiveRootsCannotBeDeletedEvenWhenEmpty() {
    try (Hive hive = Hive.openInMemory()) {
      HiveLayout.ensure(hive);

      assertThat(hive.deleteKey(key(hive, "MACHINE", "SOFTWARE").keyId()))
          .isEqualTo(STATUS_CANNOT_DELETE);
      assertThat(hive.deleteTree(key(hive, "MACHINE", "SYSTEM").keyId()))
          .isEqualTo(STATUS_CANNOT_DELETE);
      assertThat(key(hive, "MACHINE", "SYSTEM", "ControlSet001").subkeyCount()).isEqualTo(2);
    }
  }
}
