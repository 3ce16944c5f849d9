package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import ntio.api.IoResult;
import ntio.api.KernelGoneException;
import ntio.api.KernelHalt;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.host.daemon.crash.BootBugCheckDriver;
import ntio.host.daemon.crash.ThrowingIoctlDriver;
import ntio.host.wire.KernelHaltedException;
import ntio.host.wire.RemoteNt;
import ntio.kernel.CrashDumps;
import ntio.kernel.Kernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's bug checks, through real driver JARs loaded by the real loader and a real socket:
 * logged at once, told to clients, and, with {@code CrashControl\AutoReboot}, followed by a
 * reboot of the kernel that leaves out a driver whose boot start crashed.
 */
@Timeout(60)
class HostCrashControlTest {

  private static final String CRASH_CONTROL =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\CrashControl";

  @TempDir Path state;
  private final List<HostRuntime> hosts = new ArrayList<>();
  private final List<RemoteNt> clients = new ArrayList<>();

  @AfterEach
  void stopAll() {
    clients.forEach(RemoteNt::close);
    hosts.forEach(HostRuntime::shutdown);
  }

  private HostRuntime start() {
    HostRuntime host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false));
    hosts.add(host);
    return host;
  }

  private RemoteNt connect(HostRuntime host) throws Exception {
    RemoteNt nt = RemoteNt.connect(host.socketPath(), "test");
    clients.add(nt);
    return nt;
  }

  @Test
  void theHostWritesAutoRebootOnWhenTheValueIsAbsent() {
    HostRuntime host = start();

    assertThat(HostRuntimeFixtures.value(host.kernel(), CRASH_CONTROL, "AutoReboot"))
        .map(RegValue::dwordValue).hasValueSatisfying(v -> assertThat(v).hasValue(1));
  }

  @Test
  void aBootDriverThatBugChecksIsLeftOutOfTheAutomaticRebootAndTheOthersStartAgain() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", 1);
      HostRuntimeFixtures.installImage(kernel, "Crashy", BootBugCheckDriver.class, 1);
    });

    HostRuntime host = start();

    assertThat(host.automaticReboots()).isEqualTo(1);
    assertThat(host.kernel().isRunning()).isTrue();
    assertThat(HostRuntimeFixtures.loadedServices(host.kernel())).containsExactly("Null");
    assertThat(host.startDrivers()).filteredOn(o -> o.service().equals("Crashy")).singleElement()
        .satisfies(o -> {
          assertThat(o.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
          assertThat(o.detail()).startsWith("not started on the automatic reboot").contains("0x000000E2");
        });
    assertThat(HostRuntimeFixtures.value(host.kernel(), HostRuntimeFixtures.SERVICES + "Crashy",
        CrashControl.NOT_STARTED_VALUE).flatMap(RegValue::stringValue))
        .hasValueSatisfying(why -> assertThat(why).contains("Crashy.jar").contains("ntio crash show"));
    assertThat(CrashDumps.list(state)).singleElement()
        .satisfies(dump -> assertThat(dump.bugCheck().driver()).isEqualTo("Crashy"));
  }

  @Test
  void aHostStartedByHandStartsTheDriverItsLastAutomaticRebootLeftOut() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", 1);
      HostRuntimeFixtures.installImage(kernel, "Crashy", BootBugCheckDriver.class, 1);
    });
    start().shutdown();
    HostRuntimeFixtures.offline(state, kernel ->
        HostRuntimeFixtures.setValue(kernel, HostRuntimeFixtures.SERVICES + "Crashy", RegValue.dword("Start", 3)));

    HostRuntime host = start();

    assertThat(host.automaticReboots()).isZero();
    assertThat(HostRuntimeFixtures.value(host.kernel(), HostRuntimeFixtures.SERVICES + "Crashy",
        CrashControl.NOT_STARTED_VALUE)).isEmpty();
  }

  @Test
  void aBootDriverThatCrashesWithAutoRebootOffLeavesTheKernelHalted() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.setValue(kernel, CRASH_CONTROL, RegValue.dword("AutoReboot", 0));
      HostRuntimeFixtures.installImage(kernel, "Crashy", BootBugCheckDriver.class, 1);
    });

    HostRuntime host = start();

    assertThat(host.automaticReboots()).isZero();
    assertThat(host.kernel().isRunning()).isFalse();
    assertThatThrownBy(() -> connect(host)).isInstanceOf(KernelHaltedException.class)
        .hasMessageStartingWith("kernel halted: bug check 0x000000E2 in Crashy.jar — `ntio crash show ");
  }

  @Test
  void aDriverThatThrowsIsLoggedAtErrorWithItsReportAndTheHostServesAgainAfterItsReboot() throws Exception {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", 2);
      HostRuntimeFixtures.installImage(kernel, "Thrower", ThrowingIoctlDriver.class, 2);
    });
    HostRuntime host = start();
    Kernel first = host.kernel();
    RemoteNt client = connect(host);
    OpenResult opened = open(client);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    String log = capturingStderr(() -> {
      try {
        IoResult crashed = client.deviceIoControlFile(opened.handle(), 0x222000, new byte[0], 0);
        assertThat(crashed.status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
      } catch (KernelGoneException e) {
        // The reboot may close the connection before the reply is read: the message says why.
        assertThat(e).hasMessageStartingWith("kernel halted: bug check");
      }
      await(() -> host.automaticReboots() == 1 && host.kernel() != first && host.kernel().isRunning());
    });

    Optional<KernelHalt> halt = client.kernelHalt();
    assertThat(halt).hasValueSatisfying(h -> {
      assertThat(h.image()).isEqualTo("Thrower.jar");
      assertThat(h.reportId()).isNotEmpty();
      assertThat(CrashDumps.load(state, h.reportId())).isPresent();
    });
    assertThat(log).contains("ERROR").contains(halt.get().line());
    // Disconnected as by a reboot: the old client's handle is dead, a new client is served.
    assertThatThrownBy(() -> client.deviceIoControlFile(opened.handle(), 0x222000, new byte[0], 0))
        .isInstanceOf(KernelGoneException.class).hasMessageStartingWith("kernel halted: bug check");
    assertThat(HostRuntimeFixtures.loadedServices(host.kernel())).containsExactlyInAnyOrder("Null", "Thrower");
    RemoteNt again = connect(host);
    assertThat(open(again).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(again.kernelHalt()).isEmpty();
  }

  @Test
  void withAutoRebootOffTheKernelStaysHaltedAndEveryClientIsToldWhy() throws Exception {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.setValue(kernel, CRASH_CONTROL, RegValue.dword("AutoReboot", 0));
      HostRuntimeFixtures.installImage(kernel, "Thrower", ThrowingIoctlDriver.class, 2);
    });
    HostRuntime host = start();
    RemoteNt client = connect(host);
    RemoteNt bystander = connect(host);
    OpenResult opened = open(client);

    IoResult crashed = client.deviceIoControlFile(opened.handle(), 0x222000, new byte[0], 0);

    assertThat(crashed.status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    assertThat(client.kernelHalt()).hasValueSatisfying(h -> assertThat(h.line())
        .startsWith("kernel halted: bug check 0x").contains(" in Thrower.jar — `ntio crash show "));
    assertThat(bystander.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    await(() -> bystander.kernelHalt().isPresent());
    assertThat(bystander.kernelHalt()).isEqualTo(client.kernelHalt());
    Thread.sleep(2 * HostRuntime.HALT_NOTICE_GRACE.toMillis());
    assertThat(host.automaticReboots()).isZero();
    assertThat(host.kernel().isRunning()).isFalse();
    assertThatThrownBy(() -> connect(host)).isInstanceOf(KernelHaltedException.class)
        .satisfies(e -> assertThat(((KernelHaltedException) e).halt()).isEqualTo(client.kernelHalt().get()));
  }

  private static OpenResult open(RemoteNt nt) {
    return nt.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE | AccessMask.SYNCHRONIZE,
        ObjectAttributes.of(ThrowingIoctlDriver.DEVICE), 0, CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT);
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waited 30 s").isNegative();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** What the host logged (SLF4J simple writes to System.err) while {@code work} ran. */
  private static String capturingStderr(Runnable work) {
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setErr(saved);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
