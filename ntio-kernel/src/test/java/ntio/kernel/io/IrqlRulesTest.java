package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntio.api.VerifierSettings;
import ntio.ddk.Irql;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.devicetests.lab.Observations;
import ntio.kernel.io.irqltests.IrqlMistakesDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IRQL rules NT enforces on a driver's calls (issue 19, item 4), through a real image whose
 * DriverEntry makes the classic mistake ({@link IrqlMistakesDriver}): each broken rule is NT's bug
 * check naming the image and the driver's source line, with and without Driver Verifier's Force
 * IRQL checking (flag 0x2); what NT allows goes on.
 */
@Timeout(60)
class IrqlRulesTest {

  private static final String IMAGE = "IrqlMistakes.jar";
  private static final Path SOURCE =
      Path.of("src/test/java/ntio/kernel/io/irqltests/IrqlMistakesDriver.java");

  @TempDir Path state;

  /** Booted by the first use, so that each test's kernel is its own. */
  private IoLab lab;
  private String service;

  private IoLab lab() {
    if (lab == null) {
      lab = IoLab.boot(state);
    }
    return lab;
  }

  @AfterEach
  void shutDown() {
    if (lab != null) {
      lab.close();
    }
  }

  /** Installs the mistakes driver as the service whose name gives its {@code mode}. */
  private void install(String mode) {
    service = IrqlMistakesDriver.SERVICE_PREFIX + mode;
    DriverJars.image(IMAGE).entry(IrqlMistakesDriver.class).add(Observations.class).writeTo(lab().drivers());
    lab().installService(service, IMAGE);
  }

  private void verify(int flags) {
    lab().kernel.io().verifier().setVolatileSettings(VerifierSettings.parse(IMAGE, flags));
  }

  /** Loads the driver in {@code mode}, expecting a bug check at the first line holding {@code marker}. */
  private BugCheck bugCheckOf(String mode, String marker) {
    install(mode);
    assertThat(lab().load(service)).as("the kernel halted on the bug check")
        .isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    BugCheck found = lab().kernel.bugChecks().first().orElseThrow();
    assertThat(found.driver()).isEqualTo(IMAGE);
    assertThat(found.message()).as("names the driver and its line")
        .contains(IMAGE, "IrqlMistakesDriver.java:" + lineOf(marker) + ")");
    return found;
  }

  private IoLab.Observed loaded(String mode) {
    install(mode);
    assertThat(lab().load(service)).as("NtLoadDriver: %s", lab().kernel.bugChecks().first())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab().kernel.bugChecks().first()).isEmpty();
    return lab().observed(service);
  }

  private static int lineOf(String marker) {
    try {
      List<String> lines = Files.readAllLines(SOURCE);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(marker)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no line marked " + marker + " in " + SOURCE);
  }

  // Waits ------------------------------------------------------------------------------------------

  @Test
  void aTimedWaitAtDispatchOnAnUnsignalledEventIsBugCheck0xAWithTheEventAndTheIrql() {
    BugCheck found = bugCheckOf("waitAtDispatch", "// the wait");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter1()).as("the event").isNotZero();
    assertThat(found.parameter2()).as("IRQL").isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.message()).contains("DISPATCH_LEVEL", "may only poll");
  }

  @Test
  void anInfiniteWaitAtDispatchIsBugCheck0xA() {
    BugCheck found = bugCheckOf("waitForeverAtDispatch", "// the wait");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.message()).contains("without a timeout");
  }

  @Test
  void aWaitAtDispatchOnASignalledEventReturnsWithoutTheVerifier_worksOnMyMachine() {
    assertThat(loaded("waitSignalledAtDispatch").status("Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void withForceIrqlCheckingAWaitAtDispatchIsBugCheck0xAEvenOnASignalledEvent() {
    verify(VerifierSettings.IRQL_CHECKING);

    BugCheck found = bugCheckOf("waitSignalledAtDispatch", "// the wait");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.message()).contains("is signalled", "Force IRQL checking");
  }

  @Test
  void aVerifiedDriverWithoutForceIrqlCheckingStillGetsItsSignalledWaitAtDispatch() {
    verify(VerifierSettings.POOL_TRACKING);

    assertThat(loaded("waitSignalledAtDispatch").status("Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aZeroTimeoutPollAtDispatchIsAllowedEvenUnderTheStandardVerifier() {
    verify(VerifierSettings.STANDARD_FLAGS);

    assertThat(loaded("pollAtDispatch").status("Status")).isEqualTo(NtStatus.STATUS_TIMEOUT);
  }

  @Test
  void aPollAboveDispatchIsBugCheck0xA() {
    BugCheck found = bugCheckOf("pollAtDevice", "// the wait");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(Irql.DEVICE_LEVEL.level());
  }

  @Test
  void waitsBelowDispatchTimeOutOrSucceedWithAnyTimeout() {
    assertThat(loaded("waitAtPassive").string("Value"))
        .isEqualTo(NtStatus.STATUS_TIMEOUT + "," + NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aWaitOnAnObjectTheKernelDidNotMakeIsStatusInvalidParameter() {
    assertThat(loaded("waitOnAForeignObject").status("Status")).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void keSetEventAboveDispatchGoesOnWithoutTheVerifier() {
    assertThat(loaded("setEventAtDevice").string("Value")).isEqualTo("signalled=true");
  }

  @Test
  void keSetEventAboveDispatchFromAVerifiedDriverIsBugCheck0xC4_0x80() {
    verify(VerifierSettings.IRQL_CHECKING);

    BugCheck found = bugCheckOf("setEventAtDevice", "// the set");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x80);
    assertThat(found.parameter2()).isEqualTo(Irql.DEVICE_LEVEL.level());
    assertThat(found.parameter3()).as("the event").isNotZero();
  }

  // Pool -------------------------------------------------------------------------------------------

  @Test
  void aPagedAllocationAtDispatchIsBugCheck0xC2_0x08WithIrqlTypeAndSize() {
    BugCheck found = bugCheckOf("pagedAllocAtDispatch", "// the allocation");

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(0x08);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).isEqualTo(PoolType.PAGED.ntValue());
    assertThat(found.parameter4()).isEqualTo(64);
  }

  @Test
  void aPagedAllocationAtDispatchFromAVerifiedDriverIsBugCheck0xC4_0x01() {
    verify(VerifierSettings.STANDARD_FLAGS);

    BugCheck found = bugCheckOf("pagedAllocAtDispatch", "// the allocation");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x01);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).isEqualTo(PoolType.PAGED.ntValue());
    assertThat(found.parameter4()).isEqualTo(64);
  }

  @Test
  void aNonPagedAllocationAboveDispatchIsBugCheck0xC2_0x08WithoutTheVerifier() {
    BugCheck unverified = bugCheckOf("nonPagedAllocAtDevice", "// the allocation");
    assertThat(unverified.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(unverified.parameter1()).isEqualTo(0x08);
    assertThat(unverified.parameter2()).isEqualTo(Irql.DEVICE_LEVEL.level());
    assertThat(unverified.parameter3()).isEqualTo(PoolType.NON_PAGED.ntValue());
  }

  @Test
  void aNonPagedAllocationAboveDispatchFromAVerifiedDriverIsBugCheck0xC4_0x02() {
    verify(VerifierSettings.IRQL_CHECKING);

    BugCheck found = bugCheckOf("nonPagedAllocAtDevice", "// the allocation");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x02);
    assertThat(found.parameter4()).isEqualTo(64);
  }

  @Test
  void nonPagedPoolAllocatedAndFreedAtDispatchIsFine() {
    assertThat(loaded("nonPagedAtDispatch").status("Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void freeingPagedPoolAtDispatchIsBugCheck0xC2_0x09WithTheAddress() {
    BugCheck found = bugCheckOf("pagedFreeAtDispatch", "// the free");

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(0x09);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).isEqualTo(PoolType.PAGED.ntValue());
    assertThat(found.parameter4()).as("the block").isGreaterThanOrEqualTo(ntio.kernel.executive.Pool.ADDRESS_BASE);
  }

  @Test
  void freeingPagedPoolAtDispatchFromAVerifiedDriverIsBugCheck0xC4_0x11() {
    verify(VerifierSettings.STANDARD_FLAGS);

    BugCheck found = bugCheckOf("pagedFreeAtDispatch", "// the free");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x11);
  }

  @Test
  void freeingNonPagedPoolAboveDispatchIsBugCheck0xC2_0x09() {
    BugCheck found = bugCheckOf("nonPagedFreeAtDevice", "// the free");

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(0x09);
    assertThat(found.parameter3()).isEqualTo(PoolType.NON_PAGED.ntValue());
  }

  @Test
  void freeingNonPagedPoolAboveDispatchFromAVerifiedDriverIsBugCheck0xC4_0x12() {
    verify(VerifierSettings.POOL_TRACKING);

    BugCheck found = bugCheckOf("nonPagedFreeAtDevice", "// the free");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x12);
  }

  // Pageable data and code -------------------------------------------------------------------------

  @Test
  void writingPagedPoolAtDispatchWorksWithoutTheVerifier_thePageIsResident() {
    assertThat(loaded("writePagedAtDispatch").string("Value")).isEqualTo("value=42");
  }

  @Test
  void withForceIrqlCheckingWritingPagedPoolAtDispatchIsBugCheck0xD1Write() {
    verify(VerifierSettings.IRQL_CHECKING);

    BugCheck found = bugCheckOf("writePagedAtDispatch", "// the write");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter1()).as("the address").isGreaterThanOrEqualTo(ntio.kernel.executive.Pool.ADDRESS_BASE);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).as("write").isEqualTo(1);
    assertThat(found.parameter4()).isEqualTo(found.parameter1());
  }

  @Test
  void withForceIrqlCheckingReadingPagedPoolAtDispatchIsBugCheck0xD1Read() {
    verify(VerifierSettings.STANDARD_FLAGS);

    BugCheck found = bugCheckOf("readPagedAtDispatch", "// the read");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter3()).as("read").isZero();
  }

  @Test
  void withForceIrqlCheckingNonPagedPoolAtDispatchIsStillFine() {
    verify(VerifierSettings.IRQL_CHECKING);

    assertThat(loaded("writeNonPagedAtDispatch").string("Value")).isEqualTo("value=42");
  }

  @Test
  void aVerifiedDriverWithoutForceIrqlCheckingTouchesItsPagedPoolAtDispatch() {
    verify(VerifierSettings.POOL_TRACKING);

    assertThat(loaded("writePagedAtDispatch").string("Value")).isEqualTo("value=42");
  }

  @Test
  void pagedCodeAtDispatchGoesOnWithoutTheVerifier_aFreeBuild() {
    assertThat(loaded("pagedCodeAtDispatch").string("Value")).isEqualTo("ran");
  }

  @Test
  void withForceIrqlCheckingPagedCodeAtDispatchIsBugCheck0xD1Execute() {
    verify(VerifierSettings.IRQL_CHECKING);

    BugCheck found = bugCheckOf("pagedCodeAtDispatch", "// the paged code");

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).as("execute").isEqualTo(8);
    assertThat(found.message()).contains("PAGED_CODE");
  }

  @Test
  void withForceIrqlCheckingPagedCodeAtApcIsFine() {
    verify(VerifierSettings.IRQL_CHECKING);

    assertThat(loaded("pagedCodeAtApc").string("Value")).isEqualTo("ran");
  }

  // PASSIVE_LEVEL-only routines --------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"ZwOpenKey", "ZwCreateKey", "ZwQueryValueKey", "ZwSetValueKey", "ZwClose",
      "IoCreateDevice", "IoCreateSymbolicLink", "IoDeleteSymbolicLink", "ObReferenceObjectByName",
      "IoGetDeviceObjectPointer", "ZwLoadDriver", "ZwUnloadDriver", "PsCreateSystemThread",
      "EtwRegister"})
  void aPassiveLevelRoutineCalledAtDispatchIsBugCheck0xANamingTheRoutine(String routine) {
    BugCheck found = bugCheckOf("atDispatch-" + routine, "case \"" + routine + "\" ->");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).as("an instruction fetch").isEqualTo(8);
    assertThat(found.parameter1()).isEqualTo(found.parameter4()).isNotZero();
    assertThat(found.message()).contains(routine + " at DISPATCH_LEVEL", "PASSIVE_LEVEL");
  }

  @Test
  void aPassiveLevelRoutineCalledAtDispatchFromAVerifiedDriverIsTheSameBugCheck0xA() {
    verify(VerifierSettings.STANDARD_FLAGS);

    BugCheck found = bugCheckOf("atDispatch-IoCreateDevice", "case \"IoCreateDevice\" ->");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
  }

  @Test
  void aRegistryCallAtApcIsBugCheck0xATooInNtio() {
    BugCheck found = bugCheckOf("atApc-ZwOpenKey", "case \"ZwOpenKey\" ->");

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(Irql.APC_LEVEL.level());
  }

  // The verifier's flag -----------------------------------------------------------------------------

  @Test
  void forceIrqlCheckingIsFlag0x2AndPartOfStandard() {
    assertThat(VerifierSettings.IRQL_CHECKING).isEqualTo(0x2);
    assertThat(VerifierSettings.STANDARD_FLAGS & VerifierSettings.IRQL_CHECKING).isNotZero();
    assertThat(new ntio.kernel.verifier.VerifiedImage(IMAGE, VerifierSettings.STANDARD_FLAGS).checksIrql()).isTrue();
    assertThat(new ntio.kernel.verifier.VerifiedImage(IMAGE, VerifierSettings.POOL_TRACKING).checksIrql()).isFalse();
  }
}
