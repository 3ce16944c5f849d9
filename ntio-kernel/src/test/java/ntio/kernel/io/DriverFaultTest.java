package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static ntio.ddk.NtStatus.STATUS_SYSTEM_SHUTDOWN;
import static ntio.kernel.io.LoadFixture.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import ntio.api.OpenResult;
import ntio.ddk.RegValue;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.io.LoadFixture.RecordingCrashHandler;
import ntio.kernel.io.loadtests.ctorthrows.ThrowingConstructorDriver;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java exception escaping driver code — DriverEntry, a dispatch routine, the entry class's
 * constructor — is the bug check NT gives an unhandled kernel-mode exception,
 * KMODE_EXCEPTION_NOT_HANDLED (0x1E), naming the driver: the kernel halts, the call that ran into
 * it answers STATUS_SYSTEM_SHUTDOWN, and the System worker threads live on.
 */
class DriverFaultTest {

  @TempDir Path state;

  private final RecordingCrashHandler crashes = new RecordingCrashHandler();

  private Kernel boot() {
    return Kernel.boot(KernelConfig.of(state).withCrashHandler(crashes));
  }

  /** The kernel is halted: every call refused, the delayed workers all alive and serving. */
  private static void assertHaltedWithWorkersAlive(Kernel kernel, LoadFixture fixture, Set<Thread> workersBefore)
      throws InterruptedException {
    assertThat(kernel.state()).isEqualTo(Kernel.State.HALTED);
    assertThat(fixture.load("Anything")).isEqualTo(STATUS_SYSTEM_SHUTDOWN);
    assertThat(kernel.workQueues().statistics(WorkQueueType.DELAYED).threads()).isEqualTo(workersBefore.size());
    assertThat(workersBefore).allMatch(Thread::isAlive);
    assertThat(fixture.delayedWorkers()).isEqualTo(workersBefore);
  }

  @Test
  @Timeout(30)
  void anExceptionEscapingDriverEntryIsBugCheck0x1ENamingTheDriver() throws InterruptedException {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Faulty").parameter(ScriptedDriver.THROW_IN_ENTRY);
      Set<Thread> workers = fixture.delayedWorkers();

      assertThat(fixture.load("Faulty")).isEqualTo(STATUS_SYSTEM_SHUTDOWN);

      BugCheck bugCheck = crashes.only();
      assertThat(bugCheck.code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
      assertThat(bugCheck.driver()).isEqualTo("Faulty");
      assertThat(bugCheck.message()).contains("IllegalStateException", "scripted DriverEntry refuses");
      // The report says where in its life the driver was: still in DriverEntry.
      assertThat(bugCheck.message()).endsWith("its last transitions: LOADING");
      assertThat(kernel.bugChecks().first()).contains(bugCheck);
      // The worker that ran DriverEntry survived its driver's fault.
      String ranOn = fixture.valueAfterHalt(SERVICES + "Faulty\\" + ScriptedDriver.OBSERVED, ScriptedDriver.THREAD)
          .flatMap(RegValue::stringValue).orElseThrow();
      Thread worker = LoadFixture.liveThread(ranOn).orElseThrow();
      assertThat(workers).contains(worker);
      assertHaltedWithWorkersAlive(kernel, fixture, workers);
    }
  }

  @Test
  @Timeout(30)
  void anExceptionEscapingADispatchRoutineIsBugCheck0x1ENamingTheDriver() throws InterruptedException {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      fixture.scriptedService("Faulty")
          .parameter(ScriptedDriver.DEVICE, "\\Device\\Faulty")
          .parameter(ScriptedDriver.OWN_DISPATCH)
          .parameter(ScriptedDriver.THROW_IN_READ);
      assertThat(fixture.load("Faulty")).isEqualTo(STATUS_SUCCESS);
      KThread client = kernel.userSession("client", Sid.unixUser(3000));
      OpenResult opened = fixture.open(client, "\\Device\\Faulty");
      assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
      Set<Thread> workers = fixture.delayedWorkers();

      assertThat(kernel.services().ntReadFile(client, opened.handle(), 8, 0).status()).isEqualTo(STATUS_SYSTEM_SHUTDOWN);

      BugCheck bugCheck = crashes.only();
      assertThat(bugCheck.code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
      assertThat(bugCheck.driver()).isEqualTo("Faulty");
      assertThat(bugCheck.message()).contains("IllegalStateException", "scripted read routine refuses");
      assertThat(bugCheck.message()).endsWith("its last transitions: LOADING → STARTED (DriverEntry succeeded)");
      assertThat(fixture.valueAfterHalt(SERVICES + "Faulty\\" + ScriptedDriver.OBSERVED, ScriptedDriver.READ_COUNT)
          .map(RegValue::dwordValue)).hasValueSatisfying(count -> assertThat(count).hasValue(1));
      assertThat(kernel.services().ntClose(client, opened.handle())).isEqualTo(STATUS_SYSTEM_SHUTDOWN);
      assertHaltedWithWorkersAlive(kernel, fixture, workers);
    }
  }

  @Test
  @Timeout(30)
  void anExceptionFromTheEntryClassConstructorIsBugCheck0x1ENamingTheDriver() throws InterruptedException {
    try (Kernel kernel = boot()) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverJars.driver(fixture.drivers(), "Unbuildable.jar", ThrowingConstructorDriver.class);
      fixture.scriptedService("Unbuildable", "Unbuildable.jar");
      Set<Thread> workers = fixture.delayedWorkers();

      assertThat(fixture.load("Unbuildable")).isEqualTo(STATUS_SYSTEM_SHUTDOWN);

      BugCheck bugCheck = crashes.only();
      assertThat(bugCheck.code()).isEqualTo(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
      assertThat(bugCheck.driver()).isEqualTo("Unbuildable");
      assertThat(bugCheck.message()).contains("IllegalStateException", "refuses to be created");
      // DriverEntry never ran, so no driver object was made; the image was unmapped first.
      assertThat(fixture.images()).isEmpty();
      assertThat(fixture.driverExists("\\Driver\\Unbuildable")).isFalse();
      String message = bugCheck.message();
      int mark = message.indexOf(ThrowingConstructorDriver.THREAD_MARK);
      assertThat(mark).as("the thread mark in %s", message).isNotNegative();
      String ranOn = message.substring(mark + ThrowingConstructorDriver.THREAD_MARK.length(),
          message.indexOf(']', mark));
      Thread worker = LoadFixture.liveThread(ranOn).orElseThrow();
      assertThat(workers).contains(worker);
      assertHaltedWithWorkersAlive(kernel, fixture, workers);
    }
  }
}
