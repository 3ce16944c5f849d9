package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfHandleType;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfTimerConfig;
import ntio.framework.WdfVerifierSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * V-KMDF-08, object-count leak detection (spec 3.1 and 3.2; S2 {@code
 * VerifyLeakDetectionConsiderObject}, S10): with the verifier on, {@code ObjectLeakDetectionLimit}
 * bounds the driver's live objects of the counted types; the bound is per driver and grows by the
 * limit for every WDFDEVICE after the first; reaching it is reported once, and the check turns
 * itself off.
 */
@Timeout(60)
class ObjectLeakDetectionTest {

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

  private static WdfDevice device(Wdf wdf, String name) {
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, "\\Device\\" + name);
    return wdf.deviceCreate(init, null).handle();
  }

  private List<VerifierFinding> leakFindings(String image) {
    return lab.findings(image).stream().filter(f -> f.check().equals("V-KMDF-08")).toList();
  }

  /**
   * Through real images: the same script with one device more raises the bound by the limit.
   * Limit 3: one device and two objects reach 3; two devices raise it to 6, which two devices and
   * three objects (5) stay under and four objects (6) reach.
   */
  @Test
  void V_KMDF_08_theLimitIsPerDriverAndGrowsByTheLimitForEveryDeviceAfterTheFirst() {
    RegValue limit = RegValue.dword("ObjectLeakDetectionLimit", 3);
    lab.kmdfVerifier("FxOneDevice", limit);
    lab.kmdfVerifier("FxTwoDevicesUnder", limit);
    lab.kmdfVerifier("FxTwoDevicesAt", limit);
    lab.installScript("FxOneDevice", "driverCreate", "device", "object", "object");
    lab.installScript("FxTwoDevicesUnder", "driverCreate", "device", "device", "object", "object", "object");
    lab.installScript("FxTwoDevicesAt", "driverCreate", "device", "device", "object", "object", "object", "object");

    assertThat(lab.load("FxOneDevice")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.load("FxTwoDevicesUnder")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.load("FxTwoDevicesAt")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(leakFindings("FxOneDevice.jar")).singleElement().extracting(VerifierFinding::message)
        .asString().contains("excessive number of allocated WDF objects", "3 live objects",
            "ObjectLeakDetectionLimit 3", "1 WDFDEVICE", "to 3");
    assertThat(leakFindings("FxTwoDevicesUnder.jar")).as("5 objects, the bound is 6").isEmpty();
    assertThat(leakFindings("FxTwoDevicesAt.jar")).singleElement().extracting(VerifierFinding::message)
        .asString().contains("6 live objects", "2 WDFDEVICE", "to 6");
    assertThat(lab.unload("FxTwoDevicesAt")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(leakFindings("FxTwoDevicesAt.jar")).as("nothing more at unload").hasSize(1);
  }

  @Test
  void V_KMDF_08_isReportedOnceThenTheCheckIsOff() {
    lab.kmdfVerifier("FxOnce", RegValue.dword("ObjectLeakDetectionLimit", 2));
    Wdf wdf = lab.nonPnpDriver("FxOnce");

    for (int i = 0; i < 6; i++) {
      wdf.objectCreate(null);
    }

    assertThat(leakFindings("FxOnce")).singleElement().extracting(VerifierFinding::message).asString()
        .contains("2 live objects", "a WDFOBJECT was the last");
  }

  @Test
  void V_KMDF_08_destroyedObjectsAndDevicesNoLongerCount() {
    lab.kmdfVerifier("FxChurn", RegValue.dword("ObjectLeakDetectionLimit", 3));
    Wdf wdf = lab.nonPnpDriver("FxChurn");
    WdfDevice first = device(wdf, "FxChurn0");
    WdfDevice second = device(wdf, "FxChurn1");
    for (int i = 0; i < 20; i++) {
      wdf.objectDelete(wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 8).handle());
    }
    assertThat(leakFindings("FxChurn")).as("never more than 3 of 6 live").isEmpty();

    wdf.objectDelete(second);
    WdfObject a = wdf.objectCreate(null).handle();
    assertThat(leakFindings("FxChurn")).as("2 live, the bound back to 3").isEmpty();
    wdf.objectCreate(WdfObjectAttributes.init().parentObject(a));

    assertThat(leakFindings("FxChurn")).singleElement().extracting(VerifierFinding::message).asString()
        .contains("3 live objects", "1 WDFDEVICE", "to 3");
    assertThat(first.state().name()).isEqualTo("CREATED");
  }

  @Test
  void V_KMDF_08_countsTheListedTypesAndDevicesAlways() {
    lab.kmdfVerifier("FxTimersOnly", RegValue.dword("ObjectLeakDetectionLimit", 2),
        RegValue.multiString("ObjectsForLeakDetection", List.of("wdftimer")));
    Wdf wdf = lab.nonPnpDriver("FxTimersOnly");
    WdfDevice device = device(wdf, "FxTimersOnly");
    wdf.objectCreate(null);
    wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 8);
    assertThat(leakFindings("FxTimersOnly")).as("WDFOBJECT and WDFMEMORY are not listed").isEmpty();

    wdf.timerCreate(WdfTimerConfig.periodic(t -> { }, Duration.ofSeconds(1)),
        WdfObjectAttributes.init().parentObject(device));

    assertThat(leakFindings("FxTimersOnly")).singleElement().extracting(VerifierFinding::message).asString()
        .contains("2 live objects", "a WDFTIMER was the last");
    WdfVerifierSettings settings = wdf.verifierSettings();
    assertThat(settings.countsForLeakDetection(WdfHandleType.WDFTIMER)).isTrue();
    assertThat(settings.countsForLeakDetection(WdfHandleType.WDFDEVICE)).isTrue();
    assertThat(settings.countsForLeakDetection(WdfHandleType.WDFOBJECT)).isFalse();
  }

  @Test
  void V_KMDF_08_withoutTheVerifierOrWithTheLimitOffNothingIsCounted() {
    lab.setValue(FxLab.SERVICES + "FxLeakOff\\Parameters\\Wdf", RegValue.dword("ObjectLeakDetectionLimit", 1));
    lab.kmdfVerifier("FxLimitOff", RegValue.dword("ObjectLeakDetectionLimit", 0xFFFFFFFF));
    Wdf off = lab.nonPnpDriver("FxLeakOff");
    Wdf limitOff = lab.nonPnpDriver("FxLimitOff");

    for (int i = 0; i < 3; i++) {
      off.objectCreate(null);
      limitOff.objectCreate(null);
    }

    assertThat(off.verifierSettings().objectLeakDetectionLimit()).isEqualTo(-1);
    assertThat(limitOff.verifierSettings().objectLeakDetectionLimit()).isEqualTo(-1);
    assertThat(lab.checks()).doesNotContain("V-KMDF-08");
  }

  @Test
  void byDefaultMemoryWorkItemsGenericObjectsAndDevicesAreCountedAndRequestsAreNot() {
    lab.kmdfVerifier("FxDefaults", RegValue.dword("ObjectLeakDetectionLimit", 100));
    WdfVerifierSettings settings = lab.nonPnpDriver("FxDefaults").verifierSettings();

    assertThat(settings.objectLeakDetectionLimit()).isEqualTo(100);
    assertThat(settings.objectsForLeakDetection()).isEqualTo(WdfVerifierSettings.DEFAULT_OBJECTS_FOR_LEAK_DETECTION);
    assertThat(List.of(WdfHandleType.values())).filteredOn(settings::countsForLeakDetection).containsExactlyInAnyOrder(
        WdfHandleType.WDFMEMORY, WdfHandleType.WDFWORKITEM, WdfHandleType.WDFOBJECT, WdfHandleType.WDFDEVICE);
  }
}
