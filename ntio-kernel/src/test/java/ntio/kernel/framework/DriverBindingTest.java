package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.VerifierFinding;
import ntio.ddk.KernelServices.DriverResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.framework.Wdf;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
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
 * Binding a driver to the framework: WdfDriverCreate's validation (L10, T07, T17 a), the pool tag
 * (L11, T33), and what the stub does when DriverEntry fails (L6, L8, L9) — on builtin framework
 * drivers.
 */
@Timeout(60)
class DriverBindingTest {

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

  private WdfObjectAttributes recorded(String name) {
    return WdfObjectAttributes.init()
        .cleanupCallback(o -> lab.event("cleanup(" + name + ")"))
        .destroyCallback(o -> lab.event("destroy(" + name + ")"));
  }

  private NtStatus createWith(String service, WdfObjectAttributes attributes, WdfDriverConfig config) {
    AtomicReference<NtStatus> seen = new AtomicReference<>();
    lab.builtin(service, (w, d, path) -> {
      seen.set(w.driverCreate(d, path, attributes, config).status());
      return NtStatus.STATUS_SUCCESS;
    });
    return seen.get();
  }

  @Test
  void L10_wdfDriverCreateMayBeCalledOnlyOnce() {
    AtomicReference<NtStatus> second = new AtomicReference<>();
    lab.builtin("FxTwice", (w, d, path) -> {
      w.driverCreate(d, path, null, WdfDriverConfig.nonPnp());
      second.set(w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status());
      return NtStatus.STATUS_SUCCESS;
    });

    assertThat(second.get()).isEqualTo(NtStatus.STATUS_DRIVER_INTERNAL_ERROR);
  }

  @Test
  void T17a_theWdfDriverMayNotBeGivenAParent() {
    AtomicReference<NtStatus> seen = new AtomicReference<>();
    lab.builtin("FxParent", (w, d, path) -> {
      WdfObject early = w.objectCreate(null).handle();
      seen.set(w.driverCreate(d, path, recorded("D").parentObject(early), WdfDriverConfig.nonPnp()).status());
      return NtStatus.STATUS_SUCCESS;
    });

    assertThat(seen.get()).isEqualTo(NtStatus.STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
    assertThat(seen.get().code()).isEqualTo(0xC020020F);
  }

  @Test
  void L10_aNonPnpDriverWithADeviceAddCallbackOrUnknownFlagsIsInvalidParameter() {
    assertThat(createWith("FxAdd", null, WdfDriverConfig.nonPnp().deviceAdd((driver, init) -> NtStatus.STATUS_SUCCESS)))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(createWith("FxFlags", null, WdfDriverConfig.init(null).driverInitFlags(0x80)))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void L9_T07_aWrongConfigSizeIsInfoLengthMismatchAndNoneOfTheDriversCallbacksRun() {
    NtStatus status = createWith("FxSize", recorded("D"), WdfDriverConfig.nonPnp().size(WdfDriverConfig.SIZE - 4));

    assertThat(status).isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    assertThat(lab.events()).isEmpty();
  }

  @Test
  void L9_whenWdfDriverCreateFailsDriverEntrysFailureUnbindsWithoutAnyCallback() {
    AtomicReference<Wdf> wdf = new AtomicReference<>();
    DriverResult created = lab.kernel.io().createDriver("\\Driver\\FxL9", WdfDriverEntry.of((w, d, path) -> {
      wdf.set(w);
      return w.driverCreate(d, path, recorded("D"), WdfDriverConfig.nonPnp().size(0)).status();
    }));

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    assertThat(lab.events()).isEmpty();
    assertThat(wdf.get().isBound()).isFalse();
  }

  @Test
  void L10_aNullDriverConfigIsBugCheck0x10D_0x4() {
    assertThatThrownBy(() -> lab.builtin("FxNull", (w, d, path) -> w.driverCreate(d, path, null, null).status()))
        .isInstanceOf(BugCheckException.class);

    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.WDF_VIOLATION);
    assertThat(bugCheck.parameter1()).isEqualTo(0x4);
  }

  @Test
  void L10_aBuiltinDriverMayCreateItsWdfDriverWithoutARegistryPathAndGetsTheFrameworkTag() {
    AtomicReference<Wdf> wdf = new AtomicReference<>();
    DriverResult created = lab.kernel.io().createDriver("\\Driver\\FxBuiltin", WdfDriverEntry.of((w, d, path) -> {
      wdf.set(w);
      assertThat(path).isNull();
      return w.driverCreate(d, null, null, WdfDriverConfig.nonPnp()).status();
    }));

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(PoolTag.toString(wdf.get().poolTag())).isEqualTo("FxDr");
  }

  @Test
  void L6_L8_whenDriverEntryFailsTheWdfDriversTreeIsDeletedWithoutEvtDriverUnloadAndTheGlobalsGo() {
    AtomicReference<Wdf> wdf = new AtomicReference<>();
    DriverResult created = lab.kernel.io().createDriver("\\Driver\\FxFails", WdfDriverEntry.of((w, d, path) -> {
      wdf.set(w);
      w.driverCreate(d, path, recorded("D"), WdfDriverConfig.nonPnp().driverUnload(x -> lab.event("EvtDriverUnload")));
      w.memoryCreate(recorded("M"), PoolType.NON_PAGED, 0, 16);
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }));

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(lab.events()).containsExactly("cleanup(M)", "cleanup(D)", "destroy(M)", "destroy(D)");
    assertThat(wdf.get().isBound()).isFalse();
    assertThat(wdf.get().liveAllocations()).isZero();
  }

  @Test
  void L8_objectsCreatedBeforeWdfDriverCreateAreNeverDeletedAndTheTeardownReportsThem() {
    lab.kmdfVerifier("FxTooEarly");
    DriverResult created = lab.kernel.io().createDriver("\\Driver\\FxTooEarly",
        WdfDriverEntry.of(ntio.ddk.UnicodeString.of(FxLab.RESOLVED_SERVICES + "FxTooEarly"), (w, d, path) -> {
          w.memoryCreate(recorded("early"), PoolType.NON_PAGED, 0, 24);
          w.driverCreate(d, path, recorded("D"), WdfDriverConfig.nonPnp());
          return NtStatus.STATUS_UNSUCCESSFUL;
        }));

    assertThat(created.status()).isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
    assertThat(lab.events()).containsExactly("cleanup(D)", "destroy(D)");
    assertThat(lab.findings("FxTooEarly")).extracting(VerifierFinding::check)
        .containsExactly("V-KMDF-DRIVERCREATE", "V-KMDF-09");
    assertThat(lab.findings("FxTooEarly").get(0).message()).contains("WdfMemoryCreate");
    assertThat(lab.findings("FxTooEarly").get(1).message()).contains("24 bytes");
  }

  @Test
  void L6_onSuccessTheStubsUnloadRoutineWrapsTheFrameworksAndTearsDownAfterIt() {
    FxLab.Bound bound = lab.builtin("FxStubUnload", (w, d, path) ->
        w.driverCreate(d, path, recorded("D"), WdfDriverConfig.nonPnp().driverUnload(x -> lab.event("EvtDriverUnload")))
            .status());
    Wdf wdf = bound.wdf();
    bound.driver().driverUnload().unload(bound.driver());

    assertThat(lab.events()).containsExactly("EvtDriverUnload", "cleanup(D)", "destroy(D)");
    assertThat(wdf.isBound()).isFalse();
    assertThat(wdf.getDriver()).isNull();
    assertThat(lab.livePool("FxStubUnload")).isEmpty();
  }

  @Test
  void T33_theTagComesFromTheServiceNameAfterALeadingWdf() {
    Wdf wdf = lab.builtin("WdfFooBar", (w, d, path) -> w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status()).wdf();

    assertThat(PoolTag.toString(wdf.poolTag())).isEqualTo("FooB");
  }

  @Test
  void T33_aServiceNameOfTwoCharactersGivesTheFrameworkTag() {
    Wdf wdf = lab.builtin("ab", (w, d, path) -> w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status()).wdf();

    assertThat(PoolTag.toString(wdf.poolTag())).isEqualTo("FxDr");
  }

  @Test
  void T33_theDdkDefaultTagInTheConfigIsIgnoredAndAnyOtherIsUsed() {
    Wdf ignored = lab.builtin("TagSource", (w, d, path) -> w.driverCreate(d, path, null,
        WdfDriverConfig.nonPnp().driverPoolTag(PoolTag.of("Ddk "))).status()).wdf();
    Wdf used = lab.builtin("Other", (w, d, path) -> w.driverCreate(d, path, null,
        WdfDriverConfig.nonPnp().driverPoolTag(PoolTag.of("MTag"))).status()).wdf();

    assertThat(PoolTag.toString(ignored.poolTag())).isEqualTo("TagS");
    assertThat(PoolTag.toString(used.poolTag())).isEqualTo("MTag");
  }

  @Test
  void L11_beforeWdfDriverCreateTheTagIsTheFrameworksAndMemoryWithTagZeroUsesTheDriversTag() {
    AtomicReference<Integer> before = new AtomicReference<>();
    Wdf wdf = lab.builtin("Gizmo", (w, d, path) -> {
      before.set(w.poolTag());
      return w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status();
    }).wdf();

    WdfResult<WdfMemory> defaultTag = wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 40);
    WdfResult<WdfMemory> ownTag = wdf.memoryCreate(null, PoolType.PAGED, PoolTag.of("Mine"), 40);

    assertThat(PoolTag.toString(before.get())).isEqualTo("FxDr");
    assertThat(PoolTag.toString(wdf.memoryGetBuffer(defaultTag.handle()).tag())).isEqualTo("Gizm");
    assertThat(PoolTag.toString(wdf.memoryGetBuffer(ownTag.handle()).tag())).isEqualTo("Mine");
    assertThat(wdf.memoryGetBuffer(ownTag.handle()).type()).isEqualTo(PoolType.PAGED);
  }

  @Test
  void memoryOfSizeZeroIsInvalidParameter() {
    Wdf wdf = lab.builtin("FxZero", (w, d, path) -> w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status()).wdf();

    assertThat(wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 0).status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }
}
