package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.ke.Irqls;
import ntio.kernel.process.KThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IrqlMistakes sample ({@code IrqlMistakes.jar}, built by ntio-drivers) on a real kernel: each
 * control code, sent on a fresh kernel, makes its classic IRQL mistake and gets NT's bug check,
 * whose message names the driver's image and the source line of {@code IrqlMistakes.java} that
 * made it (the line marked {@code // mistake: <name>} in the sample's source).
 */
@Timeout(60)
class IrqlMistakesTest {

  /** Driver Verifier's flag 0x2, "Force IRQL checking" (spec DV3/DV9). */
  private static final int FORCE_IRQL_CHECKING = 0x2;

  private static final String SERVICE = "IrqlMistakes";
  private static final String DEVICE = "\\Device\\IrqlMistakes";

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, function, METHOD_BUFFERED, FILE_ANY_ACCESS)}, as its public.h says. */
  private static int ioctl(int function) {
    return (0x22 << 16) | (function << 2);
  }

  private static final int RAISE_BELOW = ioctl(0x900);
  private static final int LOWER_ABOVE = ioctl(0x901);
  private static final int WAIT_AT_DISPATCH = ioctl(0x902);
  private static final int PAGED_DATA_AT_DISPATCH = ioctl(0x904);
  private static final int PAGED_ALLOCATION_UNDER_SPIN_LOCK = ioctl(0x903);
  private static final int PAGED_CODE_AT_DISPATCH = ioctl(0x905);
  private static final int RELEASE_SPIN_LOCK_TWICE = ioctl(0x906);
  private static final int KEEP_CANCEL_SPIN_LOCK = ioctl(0x907);
  private static final int REGISTRY_UNDER_SPIN_LOCK = ioctl(0x908);
  private static final int WORK_ITEM_RETURNS_RAISED = ioctl(0x909);

  /** BAD_POOL_CALLER's P1 for an allocation at a bad IRQL, and the verifier's 0xC4 P1 for paged pool. */
  private static final long POOL_ALLOC_IRQL_INVALID = 0x8;
  private static final long VERIFIER_PAGED_ALLOCATION_ABOVE_APC = 0x1;
  /** 0xC4's P1: KeReleaseSpinLock at an IRQL other than DISPATCH_LEVEL. */
  private static final long VERIFIER_RELEASE_NOT_AT_DISPATCH = 0x32;

  /** The sample's source, where each mistake's line is marked. */
  private static final Path SOURCE = ntio.kernel.testing.ServiceInstaller.sampleDirectory()
      .resolve("../../src/main/java/ntio/drivers/irqlmistakes/IrqlMistakes.java").normalize();

  /** A fresh kernel for each test: a mistake halts it. */
  private IoLab lab;

  @BeforeEach
  void bootAFreshKernel(@TempDir Path state) {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  @Test
  void raisingToALowerIrqlIsBugCheck0x9NamingTheDriverAndLine() {
    BugCheck found = trigger(RAISE_BELOW, false);

    assertThat(found.code()).isEqualTo(Irqls.IRQL_NOT_GREATER_OR_EQUAL);
    assertThat(found.parameter1()).as("P1, the current IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.parameter2()).as("P2, the requested IRQL: PASSIVE_LEVEL").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "raiseBelow");
  }

  @Test
  void loweringToAHigherIrqlIsBugCheck0xANamingTheDriverAndLine() {
    BugCheck found = trigger(LOWER_ABOVE, false);

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter1()).as("P1, the requested IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.parameter2()).as("P2, the current IRQL: PASSIVE_LEVEL").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "lowerAbove");
  }

  @Test
  void raisingToALowerIrqlIs0xC4_0x30WithTheVerifiersIrqlChecking() {
    BugCheck found = trigger(RAISE_BELOW, true);

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x30);
    assertThat(found.parameter2()).as("P2, the current IRQL").isEqualTo(2);
    assertThat(found.parameter3()).as("P3, the requested IRQL").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "raiseBelow");
  }

  @Test
  void loweringToAHigherIrqlIs0xC4_0x31WithTheVerifiersIrqlChecking() {
    BugCheck found = trigger(LOWER_ABOVE, true);

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x31);
    assertNamesTheDriverAndLine(found, "lowerAbove");
  }

  @Test
  void waitingAtDispatchLevelIsBugCheck0xANamingTheDriverAndLine() {
    BugCheck found = trigger(WAIT_AT_DISPATCH, false);

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).as("P2, the IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertNamesTheDriverAndLine(found, "waitAtDispatch");
  }

  @Test
  void waitingAtDispatchLevelIsBugCheck0xAWithTheVerifiersIrqlCheckingToo() {
    BugCheck found = trigger(WAIT_AT_DISPATCH, true);

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(2);
    assertNamesTheDriverAndLine(found, "waitAtDispatch");
  }

  @Test
  void pagedDataAtDispatchLevelHidesWithoutTheVerifier() {
    assertThat(sendWithoutBugCheck(PAGED_DATA_AT_DISPATCH)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void pagedDataAtDispatchLevelIsBugCheck0xD1WithTheVerifiersIrqlChecking() {
    BugCheck found = trigger(PAGED_DATA_AT_DISPATCH, true);

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).as("P2, the IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.parameter3()).as("P3, a read").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "pagedDataAtDispatch");
  }

  @Test
  void pagedCodeAtDispatchLevelHidesWithoutTheVerifier() {
    assertThat(sendWithoutBugCheck(PAGED_CODE_AT_DISPATCH)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void pagedCodeAtDispatchLevelIsBugCheck0xD1WithTheVerifiersIrqlChecking() {
    BugCheck found = trigger(PAGED_CODE_AT_DISPATCH, true);

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(2);
    assertThat(found.parameter3()).as("P3, an instruction fetch").isEqualTo(8);
    assertNamesTheDriverAndLine(found, "pagedCodeAtDispatch", "pageableRoutine");
  }

  @Test
  void pagedPoolUnderASpinLockIsBadPoolCaller0xC2_0x8NamingTheDriverAndLine() {
    BugCheck found = trigger(PAGED_ALLOCATION_UNDER_SPIN_LOCK, false);

    assertThat(found.code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(found.parameter1()).isEqualTo(POOL_ALLOC_IRQL_INVALID);
    assertThat(found.parameter2()).as("P2, the IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertNamesTheDriverAndLine(found, "pagedAllocationUnderSpinLock");
  }

  @Test
  void pagedPoolUnderASpinLockIs0xC4_0x1WithTheVerifiersIrqlChecking() {
    BugCheck found = trigger(PAGED_ALLOCATION_UNDER_SPIN_LOCK, true);

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(VERIFIER_PAGED_ALLOCATION_ABOVE_APC);
    assertThat(found.parameter2()).isEqualTo(2);
    assertNamesTheDriverAndLine(found, "pagedAllocationUnderSpinLock");
  }

  @Test
  void releasingASpinLockTwiceIsSpinLockNotOwned0x10NamingTheDriverAndLine() {
    BugCheck found = trigger(RELEASE_SPIN_LOCK_TWICE, false);

    assertThat(found.code()).isEqualTo(BugCheck.SPIN_LOCK_NOT_OWNED);
    assertNamesTheDriverAndLine(found, "releaseSpinLockTwice");
  }

  @Test
  void releasingASpinLockTwiceIs0xC4_0x32WithTheVerifiersIrqlChecking() {
    BugCheck found = trigger(RELEASE_SPIN_LOCK_TWICE, true);

    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(VERIFIER_RELEASE_NOT_AT_DISPATCH);
    assertThat(found.parameter2()).as("P2, the IRQL of the second release: PASSIVE_LEVEL").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "releaseSpinLockTwice");
  }

  @Test
  void aRegistryCallUnderASpinLockIsBugCheck0xANamingTheDriverAndLine() {
    BugCheck found = trigger(REGISTRY_UNDER_SPIN_LOCK, false);

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter2()).isEqualTo(2);
    assertThat(found.parameter3()).as("P3, an instruction fetch of the routine's pageable code").isEqualTo(8);
    assertNamesTheDriverAndLine(found, "registryUnderSpinLock");
  }

  @Test
  void aWorkItemReturningRaisedIsBugCheck0xE1NamingTheDriver() {
    lab.loadSample(SERVICE);
    KThread client = lab.userClient();
    Handle device = lab.openReadWrite(client, DEVICE);

    NtStatus queued = lab.nt.ntDeviceIoControlFile(client, device, WORK_ITEM_RETURNS_RAISED, new byte[0], 0).status();

    assertThat(queued).as("the request that queued the item").isEqualTo(NtStatus.STATUS_SUCCESS);
    IoLab.await("the worker's bug check", () -> lab.kernel.bugChecks().first().isPresent());
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL);
    assertThat(found.parameter2()).as("P2, the IRQL it returned at: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.driver()).contains(SERVICE);
    assertThat(found.message()).contains(SERVICE);
  }

  /**
   * The cancel routine returns at DISPATCH_LEVEL holding the cancel spin lock; the thread that
   * cancelled finds it when its system service returns, and the report names the driver whose
   * cancel routine left it there (no line: the routine had returned).
   */
  @Test
  void aCancelRoutineKeepingTheCancelSpinLockIsBugCheck0x4AOnTheCancellersReturn() {
    lab.loadSample(SERVICE);
    KThread client = lab.userClient();
    Handle device = lab.openReadWrite(client, DEVICE);
    lab.nt.ntDeviceIoControlFileAsync(client, device, KEEP_CANCEL_SPIN_LOCK, new byte[0], 0, null);

    lab.nt.ntCancelIoFile(client, device);

    IoLab.await("the bug check on NtCancelIoFile's return", () -> lab.kernel.bugChecks().first().isPresent());
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.IRQL_GT_ZERO_AT_SYSTEM_SERVICE);
    assertThat(found.parameter2()).as("P2, the IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.message()).contains("NtCancelIoFile", "DISPATCH_LEVEL", SERVICE);
    assertThat(found.driver()).contains(SERVICE);
  }

  /**
   * Loads the sample unverified, sends {@code code}, and returns its status, asserting that the
   * kernel is still running: a mistake that hides without the verifier, as on Windows.
   */
  private NtStatus sendWithoutBugCheck(int code) {
    lab.loadSample(SERVICE);
    KThread client = lab.userClient();
    Handle device = lab.openReadWrite(client, DEVICE);
    NtStatus status = lab.nt.ntDeviceIoControlFile(client, device, code, new byte[0], 0).status();
    assertThat(lab.kernel.bugChecks().first()).as("no bug check").isEmpty();
    assertThat(lab.kernel.isRunning()).isTrue();
    return status;
  }

  /**
   * Loads the real sample image on the test's kernel (with the verifier's IRQL checking for it
   * when {@code verified}), sends {@code code} and returns the bug check the kernel halted on.
   */
  private BugCheck trigger(int code, boolean verified) {
    if (verified) {
      lab.verifyDrivers(SERVICE + ".jar", FORCE_IRQL_CHECKING);
    }
    lab.loadSample(SERVICE);
    KThread client = lab.userClient();
    Handle device = lab.openReadWrite(client, DEVICE);

    var result = lab.nt.ntDeviceIoControlFile(client, device, code, new byte[0], 0);

    IoLab.await("the bug check of control code 0x" + Integer.toHexString(code),
        () -> lab.kernel.bugChecks().first().isPresent());
    assertThat(result.status()).as("the caller's status once the kernel halted")
        .isNotEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.kernel.isRunning()).as("the kernel halted").isFalse();
    return lab.kernel.bugChecks().first().orElseThrow();
  }

  /**
   * Asserts that the bug check names the sample (its driver field, and its image in the message's
   * frame) and the exact line of {@code IrqlMistakes.java} marked {@code // mistake: <mistake>}.
   */
  private static void assertNamesTheDriverAndLine(BugCheck found, String mistake) {
    assertNamesTheDriverAndLine(found, mistake, mistake);
  }

  /** As above, for a mistake whose marked line is in {@code method}, another method than its own. */
  private static void assertNamesTheDriverAndLine(BugCheck found, String mistake, String method) {
    assertThat(found.driver()).contains(SERVICE);
    assertThat(found.message()).contains("IrqlMistakes.jar",
        "IrqlMistakes." + method + "(IrqlMistakes.java:" + markedLine(mistake) + ")");
  }

  /** The 1-based line of the sample's source that ends with {@code // mistake: <mistake>}. */
  private static int markedLine(String mistake) {
    try {
      List<String> lines = Files.readAllLines(SOURCE);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("// mistake: " + mistake)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no line marked '// mistake: " + mistake + "' in " + SOURCE);
  }
}
