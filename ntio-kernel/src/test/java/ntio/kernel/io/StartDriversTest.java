package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import ntio.api.DriverInfo;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** B42: the boot, system and auto start drivers, loaded at start in group and tag order. */
class StartDriversTest {

  @TempDir Path state;
  private IoLab lab;

  @AfterEach
  void shutDown() {
    if (lab != null) {
      lab.close();
    }
  }

  private IoLab boot() {
    lab = IoLab.boot(state);
    return lab;
  }

  /** Installs a lab driver and gives its service a Start, a Group (or none) and a Tag (or none). */
  private void install(String service, int start, String group, Integer tag) {
    lab.lab(service).install();
    lab.setValue(IoLab.SERVICES + service, RegValue.dword("Start", start));
    if (group != null) {
      lab.setValue(IoLab.SERVICES + service, RegValue.string("Group", group));
    }
    if (tag != null) {
      lab.setValue(IoLab.SERVICES + service, RegValue.dword("Tag", tag));
    }
  }

  private static byte[] tags(int... tags) {
    ByteBuffer data = ByteBuffer.allocate(4 + 4 * tags.length).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(tags.length);
    for (int tag : tags) {
      data.putInt(tag);
    }
    return data.array();
  }

  private List<String> loadedInLoadOrder() {
    return lab.kernel.io().drivers().stream()
        .filter(d -> d.loadOrder() > 0)
        .sorted(Comparator.comparingLong(DriverInfo::loadOrder))
        .map(DriverInfo::service)
        .toList();
  }

  @Test
  void B42_systemDriversLoadInGroupOrder() {
    boot();
    lab.setValue(StartDrivers.SERVICE_GROUP_ORDER,
        RegValue.multiString("List", List.of("Boot Bus Extender", "Base", "Filter")));
    lab.setValue(StartDrivers.GROUP_ORDER_LIST, RegValue.binary("Base", tags(7, 3)));
    install("Zulu", 1, null, null);
    install("Yankee", 1, "Unlisted", null);
    install("Filt", 1, "filter", null);
    install("BaseNoTag", 1, "Base", null);
    install("BaseTag3", 1, "Base", 3);
    install("BaseTag7", 1, "Base", 7);
    install("Early", 0, "Filter", null);
    install("Auto", 2, "Boot Bus Extender", null);

    List<StartDrivers.Outcome> outcomes = StartDrivers.load(lab.kernel.io());

    // Boot before system before auto; listed groups in List order, then unlisted groups, then
    // no group; within Base, tag 7 before tag 3 (GroupOrderList order), untagged last.
    List<String> expected = List.of("Early", "BaseTag7", "BaseTag3", "BaseNoTag", "Filt", "Yankee", "Zulu", "Auto");
    assertThat(outcomes).extracting(StartDrivers.Outcome::service).containsExactlyElementsOf(expected);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.service()).isEqualTo(NtStatus.STATUS_SUCCESS));
    assertThat(outcomes.get(0).startName()).isEqualTo("BOOT_START");
    assertThat(outcomes.get(4).group()).isEqualTo("filter");
    assertThat(outcomes.get(6).group()).isEmpty();
    assertThat(loadedInLoadOrder()).containsExactlyElementsOf(expected);
  }

  @Test
  void B42_failingStartDriverIsLoggedAndSkipped() {
    boot();
    install("Alpha", 1, null, null);
    lab.lab("Bravo").entryStatus(NtStatus.STATUS_INSUFFICIENT_RESOURCES).install();
    lab.setValue(IoLab.SERVICES + "Bravo", RegValue.dword("Start", 1));
    install("Charlie", 1, null, null);
    lab.installService("Delta", "Missing.jar");
    lab.setValue(IoLab.SERVICES + "Delta", RegValue.dword("Start", 2));

    List<StartDrivers.Outcome> outcomes = StartDrivers.load(lab.kernel.io());

    assertThat(outcomes).extracting(StartDrivers.Outcome::service)
        .containsExactly("Alpha", "Bravo", "Charlie", "Delta");
    assertThat(outcomes.get(1).status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(outcomes.get(1).loaded()).isFalse();
    assertThat(outcomes.get(3).status().isSuccess()).isFalse();
    assertThat(outcomes.get(0).loaded()).isTrue();
    assertThat(outcomes.get(2).loaded()).isTrue();
    assertThat(loadedInLoadOrder()).containsExactly("Alpha", "Charlie");
  }

  @Test
  void B42_demandAndDisabledAreNotLoaded() {
    boot();
    install("Demand", 3, null, null);
    install("Disabled", 4, null, null);
    install("Service", 2, null, null);
    lab.setValue(IoLab.SERVICES + "Service", RegValue.dword("Type", 0x10)); // a Win32 service
    install("System", 1, null, null);

    List<StartDrivers.Outcome> outcomes = StartDrivers.load(lab.kernel.io());

    assertThat(outcomes).extracting(StartDrivers.Outcome::service).containsExactly("System");
    assertThat(loadedInLoadOrder()).containsExactly("System");
  }

  @Test
  void B42_aDriverLoadedBeforeThePassIsReportedAsAlreadyLoaded() {
    boot();
    install("Early", 1, null, null);
    assertThat(lab.load("Early")).isEqualTo(NtStatus.STATUS_SUCCESS);

    List<StartDrivers.Outcome> outcomes = StartDrivers.load(lab.kernel.io());

    assertThat(outcomes).singleElement().satisfies(o -> {
      assertThat(o.status()).isEqualTo(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
      assertThat(o.loaded()).isTrue();
    });
  }

  @Test
  void loadOrderFollowsSuccessfulInitializationsAndAReloadComesLast() {
    boot();
    install("First", 3, null, null);
    install("Second", 3, null, null);
    assertThat(lab.load("Second")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.load("First")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.unload("Second")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.load("Second")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(loadedInLoadOrder()).containsExactly("First", "Second");
  }

  @Test
  void noStartServicesMeansNothingToStart() {
    boot();
    assertThat(StartDrivers.load(lab.kernel.io())).isEmpty();
  }
}
