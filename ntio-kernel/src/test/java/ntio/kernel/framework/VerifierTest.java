package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.framework.Wdf;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfHandleType;
import ntio.framework.WdfMemory;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfResult;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The framework verifier (section 3 of the spec): its settings from {@code Parameters\Wdf}, and
 * checks V-KMDF-01, 05, 06, 07, 09, 11 and 16, on builtin framework drivers.
 */
@Timeout(60)
class VerifierTest {

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

  private FxLab.Bound driver(String service) {
    FxLab.Bound bound = lab.builtin(service, (w, d, path) ->
        w.driverCreate(d, path, null, WdfDriverConfig.nonPnp().driverUnload(x -> lab.event("EvtDriverUnload")))
            .status());
    assertThat(bound.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return bound;
  }

  private static void unload(FxLab.Bound bound) {
    bound.driver().driverUnload().unload(bound.driver());
  }

  @Test
  void verifierOnIsReadFromParametersWdfWithItsKnobs() {
    lab.kmdfVerifier("FxKnobs", RegValue.dword("VerifierAllocateFailCount", 5),
        RegValue.multiString("TrackHandles", List.of("WDFMEMORY", "wdfobject")));

    Wdf wdf = driver("FxKnobs").wdf();

    assertThat(wdf.verifierSettings().verifierOn()).isTrue();
    assertThat(wdf.verifierSettings().allocateFailCount()).isEqualTo(5);
    assertThat(wdf.verifierSettings().dbgBreakOnError()).isTrue();
    assertThat(wdf.verifierSettings().tracks(WdfHandleType.WDFOBJECT)).isTrue();
    assertThat(wdf.verifierSettings().tracks(WdfHandleType.WDFTIMER)).isFalse();
  }

  @Test
  void T34_withoutVerifierOnTheFrameworkVerifierFollowsDriverVerifier() {
    assertThat(driver("FxPlain").wdf().verifierSettings().verifierOn()).isFalse();
  }

  @Test
  void T34_anExplicitVerifierOnZeroOverridesDriverVerifier() {
    lab.setValue(FxLab.SERVICES + "FxOff\\Parameters\\Wdf", RegValue.dword("VerifierOn", 0));
    lab.setValue(FxLab.SERVICES + "FxOff\\Parameters\\Wdf", RegValue.dword("VerifierAllocateFailCount", 0));

    Wdf wdf = driver("FxOff").wdf();

    assertThat(wdf.verifierSettings().verifierOn()).isFalse();
    assertThat(wdf.verifierSettings().allocateFailCount()).isEqualTo(-1);
    assertThat(wdf.objectCreate(null).isSuccess()).isTrue();
  }

  @Test
  void V_KMDF_01_dereferenceToZeroWhileParentedIsBugCheck0x10D_0x7EvenWithTheVerifierOff() {
    Wdf wdf = driver("FxDeref").wdf();
    WdfObject parent = wdf.objectCreate(null).handle();
    WdfObject child = wdf.objectCreate(WdfObjectAttributes.init().parentObject(parent)).handle();

    assertThatThrownBy(() -> wdf.objectDereference(parent)).isInstanceOf(BugCheckException.class);

    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(0x10D);
    assertThat(bugCheck.parameter1()).isEqualTo(0x7);
    assertThat(bugCheck.parameter2()).isEqualTo(parent.handle());
    assertThat(child.parent()).isSameAs(parent);
  }

  @Test
  void V_KMDF_05_deletingANoDeleteObjectIsAFindingAndANoOp() {
    FxLab.Bound bound = driver("FxNoDelete");

    bound.wdf().objectDelete(bound.wdf().getDriver());

    List<VerifierFinding> findings = lab.findings("FxNoDelete");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-KMDF-05");
    assertThat(findings.get(0).message()).contains("STATUS_CANNOT_DELETE", "WDFDRIVER");
    assertThat(lab.events()).isEmpty();
  }

  @Test
  void V_KMDF_06_releasingATagThatWasNotAcquiredIsAFinding() {
    lab.kmdfVerifier("FxTags", RegValue.multiString("TrackHandles", List.of("*")));
    Wdf wdf = driver("FxTags").wdf();
    WdfObject o = wdf.objectCreate(null).handle();
    wdf.objectReferenceWithTag(o, "mine");

    wdf.objectDereferenceWithTag(o, "theirs");

    List<VerifierFinding> findings = lab.findings("FxTags");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-KMDF-06");
    assertThat(findings.get(0).message()).contains("'theirs'", "not acquired", "VerifierTest");
  }

  @Test
  void V_KMDF_06_withoutTrackingTheTypeNoTagIsChecked() {
    lab.kmdfVerifier("FxUntracked", RegValue.multiString("TrackHandles", List.of("WDFMEMORY")));
    Wdf wdf = driver("FxUntracked").wdf();
    WdfObject o = wdf.objectCreate(null).handle();
    wdf.objectReferenceWithTag(o, "mine");

    wdf.objectDereferenceWithTag(o, "theirs");

    assertThat(lab.findings("FxUntracked")).isEmpty();
  }

  @Test
  void V_KMDF_07_tagsStillHeldWhenTheObjectIsDestroyedAreAbandoned() {
    lab.kmdfVerifier("FxAbandon", RegValue.multiString("TrackHandles", List.of("WDFOBJECT")));
    Wdf wdf = driver("FxAbandon").wdf();
    WdfObject o = wdf.objectCreate(null).handle();
    wdf.objectReferenceWithTag(o, "kept");
    wdf.objectDelete(o);

    // The last reference is released under the wrong tag: "kept" is never released.
    wdf.objectDereferenceWithTag(o, "other");

    List<VerifierFinding> findings = lab.findings("FxAbandon");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-KMDF-06", "V-KMDF-07");
    assertThat(findings.get(1).message()).contains("Abandoned", "'kept'");
  }

  @Test
  void V_KMDF_09_frameworkAllocationsLeftAtTeardownAreReportedAndNotFreed() {
    lab.kmdfVerifier("FxLeak");
    FxLab.Bound bound = driver("FxLeak");
    WdfMemory held = bound.wdf().memoryCreate(null, PoolType.NON_PAGED, 0, 48).handle();
    bound.wdf().objectReference(held);

    unload(bound);

    List<VerifierFinding> findings = lab.findings("FxLeak");
    assertThat(findings).extracting(VerifierFinding::check).containsExactly("V-KMDF-09");
    assertThat(findings.get(0).message()).contains("1 framework allocation", "48 bytes", "WDFMEMORY");
    assertThat(lab.livePool("FxLeak")).extracting(a -> a.size()).containsExactly(48L);
    assertThat(bound.wdf().isBound()).isFalse();
  }

  @Test
  void V_KMDF_09_aCleanDriverLeavesNothingInThePoolAndNoFinding() {
    lab.kmdfVerifier("FxClean");
    FxLab.Bound bound = driver("FxClean");
    bound.wdf().memoryCreate(null, PoolType.NON_PAGED, 0, 48);
    bound.wdf().objectCreate(null);

    unload(bound);

    assertThat(lab.findings("FxClean")).isEmpty();
    assertThat(lab.livePool("FxClean")).isEmpty();
    assertThat(bound.wdf().liveAllocations()).isZero();
  }

  @Test
  void T23_afterVerifierAllocateFailCountEveryFrameworkAllocationFailsWithNoHandleAndNoCallbacks() {
    lab.kmdfVerifier("FxFail", RegValue.dword("VerifierAllocateFailCount", 2));
    Wdf wdf = driver("FxFail").wdf();
    WdfObjectAttributes recorded = WdfObjectAttributes.init()
        .cleanupCallback(o -> lab.event("cleanup")).destroyCallback(o -> lab.event("destroy"));

    WdfResult<WdfMemory> first = wdf.memoryCreate(recorded, PoolType.NON_PAGED, 0, 8);
    WdfResult<WdfMemory> second = wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 8);
    WdfResult<WdfMemory> third = wdf.memoryCreate(recorded, PoolType.NON_PAGED, 0, 8);
    WdfResult<WdfObject> later = wdf.objectCreate(recorded);

    assertThat(first.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(second.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(third.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(third.handle()).isNull();
    assertThat(later.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    wdf.objectDelete(first.handle());
    assertThat(lab.events()).containsExactly("cleanup", "destroy");
  }

  @Test
  void V_KMDF_11_theFailCountIsIgnoredWithTheVerifierOff() {
    lab.setValue(FxLab.SERVICES + "FxFailOff\\Parameters\\Wdf", RegValue.dword("VerifierAllocateFailCount", 0));
    Wdf wdf = driver("FxFailOff").wdf();

    assertThat(wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 8).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void V_KMDF_16_aSecondDeleteIsAFindingAndTheObjectIsNotTornDownTwice() {
    Wdf wdf = driver("FxTwice").wdf();
    WdfObject o = wdf.objectCreate(WdfObjectAttributes.init().cleanupCallback(x -> lab.event("cleanup"))).handle();
    wdf.objectReference(o);
    wdf.objectDelete(o);

    wdf.objectDelete(o);

    assertThat(lab.findings("FxTwice")).extracting(VerifierFinding::check).containsExactly("V-KMDF-16");
    assertThat(lab.events()).containsExactly("cleanup");
  }

  @Test
  void T34_underDriverVerifierTheFrameworkVerifierTurnsOnWithoutAnyWdfValue() throws Exception {
    lab.kernel.io().verifier().setVolatileSettings(VerifierSettings.parse("*", VerifierSettings.STANDARD_FLAGS));
    lab.installScript("FxDv", "driverCreate");

    assertThat(lab.load("FxDv")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.observedNote("FxDv", "VerifierOn")).isEqualTo("true");
  }
}
