package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.framework.Wdf;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * L8 and D8: a framework driver must call WdfDriverCreate before any other framework routine (the
 * rule SDV checks as DriverCreate, D25). A DDI called earlier is a finding, {@code
 * V-KMDF-DRIVERCREATE}, naming the DDI, whatever the verifier setting: what it creates has no
 * parent (O2) and nothing will ever delete it, and with the verifier off no other report would
 * reveal it.
 */
@Timeout(60)
class DriverCreateFirstTest {

  private static final String CHECK = "V-KMDF-DRIVERCREATE";

  @TempDir Path state;
  private FxLab lab;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private List<VerifierFinding> early(String image) {
    return lab.findings(image).stream().filter(f -> f.check().equals(CHECK)).toList();
  }

  /** Through a real image, with the verifier off: the memory created first is reported, once. */
  @Test
  void aDdiCalledBeforeWdfDriverCreateIsAFindingNamingItEvenWithTheVerifierOff() {
    lab.installScript("FxMemFirst", "memory", "driverCreate", "object");

    assertThat(lab.load("FxMemFirst")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.observedNote("FxMemFirst", "VerifierOn")).isEqualTo("false");
    assertThat(early("FxMemFirst.jar")).singleElement().extracting(VerifierFinding::message).asString()
        .contains("WdfMemoryCreate", "before WdfDriverCreate", "never deleted");
    assertThat(lab.unload("FxMemFirst")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.observedEvents("FxMemFirst")).as("M was never parented: nothing deletes it")
        .doesNotContain("cleanup(M)", "destroy(M)").contains("cleanup(D)");
    assertThat(early("FxMemFirst.jar")).hasSize(1);
  }

  @Test
  void aDriverThatCreatesItsWdfDriverFirstHasNoSuchFinding() {
    lab.installScript("FxCreateFirst", "driverCreate", "memory", "object");

    assertThat(lab.load("FxCreateFirst")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.unload("FxCreateFirst")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(early("FxCreateFirst.jar")).isEmpty();
  }

  @Test
  void everyEarlyDdiIsReportedByItsNameHandleDdisAndWdfGetDriverToo() {
    WdfObject[] created = new WdfObject[1];
    FxLab.Bound bound = lab.builtin("FxEarlyDdis", (w, d, path) -> {
      created[0] = w.objectCreate(null).handle();
      w.objectReference(created[0]);
      w.getDriver();
      return w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status();
    });
    Wdf wdf = bound.wdf();
    wdf.objectDereference(created[0]);
    wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 8);

    assertThat(early("FxEarlyDdis")).extracting(VerifierFinding::message)
        .satisfiesExactly(
            m -> assertThat(m).contains("WdfObjectCreate"),
            m -> assertThat(m).contains("WdfObjectReference"),
            m -> assertThat(m).contains("WdfGetDriver"));
  }
}
