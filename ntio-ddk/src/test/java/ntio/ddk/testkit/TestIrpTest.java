package ntio.ddk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

/** The kit's IRP keeps the DDK's rules, as the kernel's does: what the drivers' tests rely on. */
class TestIrpTest {

  private final TestKernel kernel = new TestKernel();
  private final KernelServices services = kernel.services();
  private final DeviceObject lower = kernel.device("\\Device\\Lower", null);
  private final DeviceObject upper = kernel.device("\\Device\\Upper", null, lower);
  private final FileObject file = TestKernel.file("f");

  @Test
  void aRequestStartsAtTheTopDriversLocationWithOneBelowAndStatusPending() {
    TestIrp read = TestIrp.read(file, 8);

    assertThat(read.stackCount()).isEqualTo(2);
    assertThat(read.currentStackLocation().majorFunction()).isEqualTo(MajorFunctions.IRP_MJ_READ);
    assertThat(read.currentStackLocation().length()).isEqualTo(8);
    assertThat(read.nextStackLocation()).isSameAs(read.next());
    assertThat(read.ioStatus().status()).isEqualTo(NtStatus.STATUS_PENDING);
  }

  @Test
  void callDriverMovesDownALocationAndSkippingMakesTheDriverBelowReuseTheCurrentOne() {
    TestIrp copied = TestIrp.read(file, 8);
    copied.copyCurrentStackLocationToNext();
    services.callDriver(lower, copied);
    assertThat(copied.currentStackLocation()).isSameAs(copied.next());
    assertThat(copied.currentStackLocation().deviceObject()).isSameAs(lower);
    assertThatThrownBy(copied::nextStackLocation).isInstanceOf(IllegalStateException.class);

    TestIrp skipped = TestIrp.read(file, 8);
    var own = skipped.currentStackLocation();
    skipped.skipCurrentStackLocation();
    services.callDriver(lower, skipped);
    assertThat(skipped.currentStackLocation()).isSameAs(own);
    assertThat(skipped.isSkipped()).isTrue();
  }

  @Test
  void completionRunsTheRoutineForTheDriverThatSetItWithTheLowerResultAndPendingReturned() {
    TestIrp read = TestIrp.read(file, 8);
    List<String> seen = new ArrayList<>();
    read.copyCurrentStackLocationToNext();
    read.setCompletionRoutine((device, irp, context) -> {
      seen.add(context + " " + irp.ioStatus().status().name() + " pending=" + irp.pendingReturned());
      return NtStatus.STATUS_SUCCESS;
    }, "upper's", true, true, true);
    services.callDriver(lower, read);
    read.markPending();

    read.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    services.completeRequest(read, 0);

    assertThat(seen).containsExactly("upper's STATUS_SUCCESS pending=true");
    assertThat(kernel.completed()).containsExactly(read);
    assertThat(read.completions()).isEqualTo(1);
  }

  @Test
  void moreProcessingRequiredStopsCompletionAndTheRequestMayBeCompletedAgain() throws InterruptedException {
    TestIrp read = TestIrp.read(file, 8);
    read.copyCurrentStackLocationToNext();
    read.setCompletionRoutine((device, irp, context) -> NtStatus.STATUS_MORE_PROCESSING_REQUIRED,
        null, true, true, true);
    services.callDriver(lower, read);
    read.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);

    services.completeRequest(read, 0);
    assertThat(read.awaitCompleted(Duration.ZERO)).as("finished").isFalse();

    services.completeRequest(read, 0);
    assertThat(read.awaitCompleted(Duration.ZERO)).isTrue();
    assertThat(read.completions()).isEqualTo(2);
  }

  @Test
  void aRoutineRunsOnlyForTheOutcomesItAskedFor() {
    TestIrp read = TestIrp.read(file, 8);
    List<String> seen = new ArrayList<>();
    read.copyCurrentStackLocationToNext();
    read.setCompletionRoutine((device, irp, context) -> {
      seen.add("ran");
      return NtStatus.STATUS_SUCCESS;
    }, null, true, false, false);
    assertThat(read.invokeOn()).isEqualTo(0b100);
    services.callDriver(lower, read);

    read.ioStatus().setStatus(NtStatus.STATUS_INVALID_PARAMETER);
    services.completeRequest(read, 0);

    assertThat(seen).isEmpty();
  }

  @Test
  void completingTwiceOrWithStatusPendingIsWhatTheKernelBugChecksOn() {
    TestIrp read = TestIrp.read(file, 8);
    assertThatThrownBy(() -> services.completeRequest(read, 0)).hasMessageContaining("STATUS_PENDING");

    read.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    services.completeRequest(read, 0);
    assertThatThrownBy(() -> services.completeRequest(read, 0)).hasMessageContaining("completed twice");
  }

  @Test
  void aCancelTakesTheRoutineOnceAndCompletionClearsIt() {
    TestIrp read = TestIrp.read(file, 8);
    List<DeviceObject> cancelledFor = new ArrayList<>();
    read.setCancelRoutine((device, irp) -> {
      services.releaseCancelSpinLock(irp.cancelIrql());
      cancelledFor.add(device);
    });

    assertThat(read.cancel(upper)).isTrue();
    assertThat(read.cancel(upper)).isFalse();
    assertThat(read.isCancelled()).isTrue();
    assertThat(cancelledFor).containsExactly(upper);

    TestIrp other = TestIrp.read(file, 8);
    other.setCancelRoutine((device, irp) -> cancelledFor.add(device));
    other.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    services.completeRequest(other, 0);
    assertThat(other.hasCancelRoutine()).isFalse();
  }

  @Test
  void aCancelRoutineRunsAtDispatchLevelHoldingTheCancelSpinLockAndItsReleaseLowersToTheCancellersIrql() {
    TestIrp read = TestIrp.read(file, 8);
    List<Irql> seen = new ArrayList<>();
    read.setCancelRoutine((device, irp) -> {
      seen.add(services.getCurrentIrql());
      seen.add(irp.cancelIrql());
      services.releaseCancelSpinLock(irp.cancelIrql());
      seen.add(services.getCurrentIrql());
    });

    assertThat(read.cancel(upper)).isTrue();

    assertThat(seen).containsExactly(Irql.DISPATCH_LEVEL, Irql.PASSIVE_LEVEL, Irql.PASSIVE_LEVEL);
    assertThat(services.getCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
    assertThatThrownBy(() -> services.releaseCancelSpinLock(Irql.PASSIVE_LEVEL))
        .as("released twice").hasMessageContaining("SPIN_LOCK_NOT_OWNED");
  }
}
