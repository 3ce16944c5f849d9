package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import ntio.api.IoResult;
import ntio.api.VerifierSettings;
import ntio.ddk.Handle;
import ntio.ddk.Irql;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.locktests.SpinLockLabDriver;
import ntio.kernel.ke.Irqls;
import ntio.kernel.ke.SpinLocks;
import ntio.kernel.process.KThread;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spin locks, the cancel spin lock and the IRQL checks at the doors into driver code, through a
 * real driver image ({@link SpinLockLabDriver}) loaded by the real loader: each misuse is the bug
 * check NT raises, naming the driver, without and with Driver Verifier's IRQL checking (0x2).
 */
@Timeout(60)
class SpinLockRulesTest {

  private static final String SERVICE = "SpinLab";
  private static final String IMAGE = "SpinLab.jar";
  private static final int VERIFIER = BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION;

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private void install(String mode) {
    DriverJars.image(IMAGE).entry(SpinLockLabDriver.class).writeTo(lab.drivers());
    lab.installService(SERVICE, IMAGE);
    if (mode != null) {
      lab.setValue(IoLab.SERVICES + SERVICE + "\\Parameters", RegValue.string("Mode", mode));
    }
  }

  private void verify(int flags) {
    lab.kernel.io().verifier().setVolatileSettings(VerifierSettings.parse(IMAGE, flags));
  }

  private BugCheck loadBugChecks(String mode) {
    install(mode);
    assertThat(lab.load(SERVICE)).as("the kernel halted").isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.driver()).contains(SERVICE);
    return found;
  }

  private Irql irqlOfThisThread() {
    return lab.kernel.io().irqls.current();
  }

  // DriverEntry's misuses, without and with the verifier ------------------------------------------

  static Stream<Arguments> misuses() {
    return Stream.of(
        // mode, verifier's IRQL checking, code, P1 (for 0xC4 the subcode)
        Arguments.of("acquireTwice", false, BugCheck.SPIN_LOCK_ALREADY_OWNED, -1),
        Arguments.of("acquireTwice", true, BugCheck.SPIN_LOCK_ALREADY_OWNED, -1),
        Arguments.of("releaseNotHeld", false, BugCheck.SPIN_LOCK_NOT_OWNED, -1),
        Arguments.of("releaseNotHeld", true, VERIFIER, SpinLocks.VERIFIER_RELEASE_NOT_AT_DISPATCH),
        Arguments.of("raiseBelow", false, BugCheck.IRQL_NOT_GREATER_OR_EQUAL, Irql.DISPATCH_LEVEL.level()),
        Arguments.of("raiseBelow", true, VERIFIER, Irqls.VERIFIER_RAISE_IRQL_BAD),
        Arguments.of("lowerAbove", false, BugCheck.IRQL_NOT_LESS_OR_EQUAL, Irql.DISPATCH_LEVEL.level()),
        Arguments.of("lowerAbove", true, VERIFIER, Irqls.VERIFIER_LOWER_IRQL_BAD),
        Arguments.of("acquireAtDpcAtPassive", true, VERIFIER, SpinLocks.VERIFIER_ACQUIRE_AT_DPC_BELOW_DISPATCH),
        Arguments.of("releaseFromDpcAtPassive", true, VERIFIER, SpinLocks.VERIFIER_RELEASE_FROM_DPC_BELOW_DISPATCH),
        Arguments.of("acquireAboveDispatch", false, BugCheck.IRQL_NOT_GREATER_OR_EQUAL, Irql.DEVICE_LEVEL.level()),
        Arguments.of("acquireAboveDispatch", true, VERIFIER, SpinLocks.VERIFIER_ACQUIRE_ABOVE_DISPATCH),
        Arguments.of("queuedReleaseAtPassive", true, VERIFIER, SpinLocks.VERIFIER_QUEUED_RELEASE_NOT_AT_DISPATCH),
        Arguments.of("cancelReleaseAtPassive", true, VERIFIER, SpinLocks.VERIFIER_KERNEL_RELEASE_NOT_AT_DISPATCH),
        Arguments.of("returnRaised", false, BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL, -1),
        Arguments.of("returnHoldingLock", true, BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL, -1));
  }

  @ParameterizedTest(name = "{0}, IRQL checking {1}: 0x{2}")
  @MethodSource("misuses")
  void eachMisuseInDriverEntryIsNtsBugCheckNamingTheDriverAndItsLine(String mode, boolean verified, int code,
      long parameter1) {
    if (verified) {
      verify(VerifierSettings.IRQL_CHECKING);
    }
    BugCheck found = loadBugChecks(mode);

    assertThat(found.code()).as("%s", found).isEqualTo(code);
    if (parameter1 >= 0) {
      assertThat(found.parameter1()).isEqualTo(parameter1);
    }
    if (code != BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL) {
      assertThat(found.message()).as("names the driver's line").contains("SpinLockLabDriver");
    }
    assertThat(irqlOfThisThread()).as("the thread lent to DriverEntry is not left raised")
        .isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void withoutTheVerifierTheMisusesNtDoesNotCheckGoAhead() {
    for (String mode : new String[] {"acquireAtDpcAtPassive", "releaseFromDpcAtPassive",
        "queuedReleaseAtPassive", "cancelReleaseAtPassive"}) {
      install(mode);
      assertThat(lab.load(SERVICE)).as(mode).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(lab.unload(SERVICE)).as(mode).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void standardFlagsIncludeIrqlChecking() {
    verify(VerifierSettings.STANDARD_FLAGS);

    BugCheck found = loadBugChecks("raiseBelow");

    assertThat(found.code()).isEqualTo(VERIFIER);
    assertThat(found.parameter1()).isEqualTo(Irqls.VERIFIER_RAISE_IRQL_BAD);
    assertThat(found.parameter2()).as("current").isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.parameter3()).as("requested").isEqualTo(Irql.PASSIVE_LEVEL.level());
  }

  @Test
  void aDriverUsingEverySpinLockRoutineRightLoadsAndLeavesThePassiveLevel() {
    install("good");

    assertThat(lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.kernel.bugChecks().first()).isEmpty();
    assertThat(irqlOfThisThread()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void aDriverEntryReturningRaisedIsBugCheck0xE1WithTheIrql() {
    BugCheck found = loadBugChecks("returnRaised");

    assertThat(found.code()).isEqualTo(BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.message()).contains("DriverEntry", "DISPATCH_LEVEL");
  }

  // The doors of requests -------------------------------------------------------------------------

  private Handle loadAndOpen(KThread client) {
    install(null);
    assertThat(lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    return lab.openReadWrite(client, "\\Device\\SpinLab");
  }

  @Test
  void aDispatchRoutineReturningRaisedIsBugCheck0x4AWhenTheSystemServiceReturns() {
    KThread client = lab.userClient();
    Handle handle = loadAndOpen(client);

    IoResult result = lab.nt.ntDeviceIoControlFile(client, handle, SpinLockLabDriver.IOCTL_RAISE_AND_RETURN,
        new byte[0], 0);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.IRQL_GT_ZERO_AT_SYSTEM_SERVICE);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.driver()).contains(SERVICE);
    assertThat(irqlOfThisThread()).as("the client's thread is put back").isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void underIoVerificationADispatchRoutineReturningRaisedIsBugCheck0xC9_0x05() {
    verify(VerifierSettings.IO_VERIFICATION);
    KThread client = lab.userClient();
    Handle handle = loadAndOpen(client);

    lab.nt.ntDeviceIoControlFile(client, handle, SpinLockLabDriver.IOCTL_RAISE_AND_RETURN, new byte[0], 0);

    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(DoorChecks.IRQL_CHANGED_IN_DISPATCH).isEqualTo(0x05);
    assertThat(found.parameter3()).as("before").isEqualTo(Irql.PASSIVE_LEVEL.level());
    assertThat(found.parameter4()).as("after").isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(irqlOfThisThread()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void aCancelRoutineRunsAtDispatchLevelHoldingTheCancelSpinLockWithTheCancellersIrqlInCancelIrql() {
    KThread client = lab.userClient();
    Handle handle = loadAndOpen(client);
    IoRequest request = lab.nt.ntDeviceIoControlFileAsync(client, handle, SpinLockLabDriver.IOCTL_PEND,
        new byte[0], 0, null);

    assertThat(lab.nt.ntCancelIoFile(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(request.await(Duration.ofSeconds(10))).isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    IoResult report = lab.nt.ntDeviceIoControlFile(client, handle, SpinLockLabDriver.IOCTL_REPORT, new byte[0], 3);
    assertThat(report.data()).as("IRQL in the routine, CancelIrql, IRQL after its release")
        .containsExactly(Irql.DISPATCH_LEVEL.level(), Irql.PASSIVE_LEVEL.level(), Irql.PASSIVE_LEVEL.level());
    assertThat(lab.kernel.io().spinLocks.cancelLock().isHeld()).isFalse();
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void aCancelRoutineReturningWithTheCancelSpinLockLeavesTheCancellerRaisedAndItsServiceBugChecks0x4A() {
    KThread client = lab.userClient();
    Handle handle = loadAndOpen(client);
    lab.nt.ntDeviceIoControlFileAsync(client, handle, SpinLockLabDriver.IOCTL_PEND_KEEP_LOCK, new byte[0], 0, null);

    assertThat(lab.nt.ntCancelIoFile(client, handle)).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);

    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.IRQL_GT_ZERO_AT_SYSTEM_SERVICE);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.driver()).contains(SERVICE);
    assertThat(found.message()).contains("1 spin lock");
    assertThat(irqlOfThisThread()).isEqualTo(Irql.PASSIVE_LEVEL);
  }

  @Test
  void aWorkItemReturningRaisedIsBugCheck0xE1() {
    KThread client = lab.userClient();
    Handle handle = loadAndOpen(client);

    lab.nt.ntDeviceIoControlFile(client, handle, SpinLockLabDriver.IOCTL_WORK_ITEM_RAISED, new byte[0], 0);

    IoLab.await("the work item's bug check", () -> lab.kernel.bugChecks().first().isPresent());
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL);
    assertThat(found.parameter2()).isEqualTo(Irql.DISPATCH_LEVEL.level());
    assertThat(found.driver()).contains(SERVICE);
  }

  @Test
  void aRequestCompletedOnTheCancelSafePathIsNotCancelledAndLeavesTheCancelSpinLockFree() {
    KThread client = lab.userClient();
    Handle handle = loadAndOpen(client);
    IoRequest request = lab.nt.ntDeviceIoControlFileAsync(client, handle, SpinLockLabDriver.IOCTL_PEND,
        new byte[0], 0, null);

    lab.nt.ntDeviceIoControlFile(client, handle, SpinLockLabDriver.IOCTL_COMPLETE_PENDED, new byte[0], 0);

    assertThat(request.await(Duration.ofSeconds(10))).isTrue();
    assertThat(request.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.nt.ntCancelIoFile(client, handle)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.kernel.io().spinLocks.cancelLock().isHeld()).isFalse();
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }
}
