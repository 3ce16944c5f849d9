package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelTimer;
import ntio.ddk.NtStatus;
import ntio.ddk.SystemThread;
import ntio.ddk.TraceProvider;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel routines a driver reaches through its services beyond devices and IRPs: timers and
 * their DPCs, System threads, Ex work items, trace providers, KeBugCheckEx, verifier breaks. Run
 * from a builtin driver, whose services are a real image's minus the image.
 */
@Timeout(30)
class KernelRoutinesTest {

  @TempDir Path state;
  private Kernel kernel;
  private KernelServices services;
  private DriverObject driver;

  @BeforeEach
  void boot() {
    kernel = Kernel.boot(KernelConfig.of(state));
    AtomicReference<DriverObject> created = new AtomicReference<>();
    assertThat(kernel.io().createDriver("\\Driver\\Routines", (d, path) -> {
      created.set(d);
      return NtStatus.STATUS_SUCCESS;
    }).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    driver = created.get();
    services = driver.services();
  }

  @AfterEach
  void shutDown() {
    kernel.shutdown();
  }

  @Test
  void aOneShotTimerRunsItsDpcOnceAndLeavesTheQueueAtExpiry() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    KernelTimer timer = services.initializeTimer(ran::countDown);

    assertThat(timer.set(TimeUnit.MILLISECONDS.toNanos(10), 0)).as("was it set before").isFalse();
    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();

    IoLab.await("the timer to leave the queue", () -> !timer.isSet());
    assertThat(timer.cancel()).as("KeCancelTimer on an expired timer").isFalse();
  }

  @Test
  void settingASetTimerAgainReplacesTheEarlierSettingAndCancelTakesItOut() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    KernelTimer timer = services.initializeTimer(runs::incrementAndGet);

    assertThat(timer.set(TimeUnit.HOURS.toNanos(1), 0)).isFalse();
    assertThat(timer.set(TimeUnit.HOURS.toNanos(2), 0)).as("KeSetTimerEx on a set timer").isTrue();
    assertThat(timer.isSet()).isTrue();
    assertThat(timer.cancel()).isTrue();
    assertThat(timer.isSet()).isFalse();
    assertThat(timer.cancel()).isFalse();
    assertThat(runs).hasValue(0);
  }

  @Test
  void aPeriodicTimerStaysSetAndRunsItsDpcEachPeriodUntilCancelled() throws InterruptedException {
    CountDownLatch thrice = new CountDownLatch(3);
    KernelTimer timer = services.initializeTimer(thrice::countDown);

    timer.set(0, TimeUnit.MILLISECONDS.toNanos(5));

    assertThat(thrice.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(timer.isSet()).isTrue();
    assertThat(timer.cancel()).isTrue();
  }

  @Test
  void aSystemThreadRunsTheRoutineInTheSystemProcessAndCanBeAwaited() {
    AtomicReference<Boolean> system = new AtomicReference<>();
    KernelServices.ThreadResult started = services.createSystemThread(() ->
        system.set(kernel.processes().isSystemThread()));

    assertThat(started.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    SystemThread thread = started.thread();
    assertThat(thread.await(5_000)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(thread.isAlive()).isFalse();
    assertThat(system).hasValue(true);
  }

  @Test
  void awaitingARunningSystemThreadTimesOut() {
    CountDownLatch release = new CountDownLatch(1);
    SystemThread thread = services.createSystemThread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).thread();

    assertThat(thread.await(0)).isEqualTo(NtStatus.STATUS_TIMEOUT);
    release.countDown();
    assertThat(thread.await(5_000)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void anExWorkItemRunsOnADelayedSystemWorker() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<Boolean> system = new AtomicReference<>();

    assertThat(services.queueExWorkItem(() -> {
      system.set(kernel.processes().isSystemThread());
      ran.countDown();
    })).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(system).hasValue(true);
  }

  @Test
  void aTraceProviderWritesUntilUnregisteredAndUnregistersOnce() {
    UUID id = UUID.randomUUID();
    KernelServices.TraceResult registered = services.registerTraceProvider(id);
    assertThat(registered.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    TraceProvider provider = registered.provider();

    assertThat(provider.write("hello")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(services.unregisterTraceProvider(provider)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(services.unregisterTraceProvider(provider)).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(provider.write("too late")).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(provider.isRegistered()).isFalse();

    assertThat(kernel.io().traceEvents()).singleElement().satisfies(event -> {
      assertThat(event.providerId()).isEqualTo(id);
      assertThat(event.driver()).isEqualTo("\\Driver\\Routines");
      assertThat(event.message()).isEqualTo("hello");
    });
  }

  @Test
  void registeringATraceProviderWithoutAnIdIsAnInvalidParameter() {
    assertThat(services.registerTraceProvider(null).status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void keBugCheckExStopsTheKernelWithTheDriversCodeParametersAndName() {
    try {
      throw services.bugCheckEx(0x10D, 0x7, 0x1234, 0x5678, 0, "freed using WdfObjectDereference");
    } catch (RuntimeException expected) {
      // KeBugCheckEx does not return.
    }

    BugCheck found = kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.WDF_VIOLATION);
    assertThat(found.parameters()).containsExactly(0x7, 0x1234, 0x5678, 0);
    assertThat(found.driver()).isEqualTo("\\Driver\\Routines");
    assertThat(found.message()).isEqualTo("freed using WdfObjectDereference");
  }

  @Test
  void aVerifierBreakIsRecordedAsANonFatalFindingAgainstTheDriver() {
    services.verifierBreak("V-KMDF-05", "WdfObjectDelete on the WDFDRIVER");

    assertThat(kernel.io().verifier().findings()).singleElement().satisfies(finding -> {
      assertThat(finding.imageName()).isEqualTo("\\Driver\\Routines");
      assertThat(finding.check()).isEqualTo("V-KMDF-05");
    });
    assertThat(kernel.bugChecks().first()).isEmpty();
  }

  @Test
  void aBuiltinDriverIsNeverVerified() {
    assertThat(services.isDriverVerifying(driver)).isFalse();
  }
}
