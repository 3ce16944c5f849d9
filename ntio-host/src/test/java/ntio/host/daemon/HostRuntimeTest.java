package ntio.host.daemon;

import static ntio.host.daemon.HostRuntimeFixtures.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.OpenResult;
import ntio.api.StartDriverOutcome;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.StartDrivers;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The host runtime in this JVM: the lock, start drivers, shutdown order, restarts. */
@Timeout(60)
class HostRuntimeTest {

  @TempDir Path state;
  private final List<HostRuntime> hosts = new ArrayList<>();

  @AfterEach
  void stopAll() {
    hosts.forEach(HostRuntime::shutdown);
  }

  private HostRuntime start() {
    return start(HostOptions.of(state).withShutdownHook(false));
  }

  private HostRuntime start(HostOptions options) {
    HostRuntime host = HostRuntime.start(options);
    hosts.add(host);
    return host;
  }

  @Test
  void aSecondHostOnTheSameStateDirectoryIsRefusedWithAMessageNamingTheFirst() {
    HostRuntime first = start();

    assertThatThrownBy(() -> start(HostOptions.of(state).withShutdownHook(false)
            .withSocket(state.resolve("other.sock"))))
        .isInstanceOf(HostLock.HostAlreadyRunningException.class)
        .hasMessageContaining("another ntio host holds " + state.toAbsolutePath())
        .hasMessageContaining("pid " + ProcessHandle.current().pid())
        .hasMessageContaining("since " + first.holder().since())
        .hasMessageContaining("socket " + first.socketPath())
        .satisfies(e -> assertThat(((HostLock.HostAlreadyRunningException) e).holder())
            .contains(first.holder()));
    assertThat(first.isRunning()).isTrue();
    assertThat(state.resolve("other.sock")).doesNotExist();
  }

  @Test
  void theLockFileNamesTheHolderAndGoesAtShutdownSoThatTheNextHostCanStart() throws IOException {
    HostRuntime first = start();
    Path lock = state.resolve(HostOptions.LOCK_FILE);
    assertThat(Files.readString(lock)).contains("pid=" + ProcessHandle.current().pid(),
        "socket=" + first.socketPath());
    assertThat(HostLock.read(lock)).contains(first.holder());

    first.shutdown();

    assertThat(lock).doesNotExist();
    assertThat(first.socketPath()).doesNotExist();
    HostRuntime second = start();
    assertThat(second.isRunning()).isTrue();
  }

  @Test
  void theSocketIsServedInTheStateDirectoryWithMode0660() throws IOException {
    HostRuntime host = start();

    assertThat(host.socketPath()).isEqualTo(state.toAbsolutePath().resolve("ntio.sock"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host.socketPath())))
        .isEqualTo("rw-rw----");
  }

  @Test
  void theSocketPathIsConfigurableAndAStaleSocketIsReplaced(@TempDir Path elsewhere) throws IOException {
    Path socket = elsewhere.resolve("host.sock");
    // What a host killed with SIGKILL leaves behind: a bound socket file nobody listens on.
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();

    HostRuntime host = start(HostOptions.of(state).withShutdownHook(false).withSocket(socket));

    assertThat(host.socketPath()).isEqualTo(socket);
    assertThat(socket).exists();
    host.shutdown();
    assertThat(socket).doesNotExist();
  }

  @Test
  void theListenerIsStartedAfterTheStartDriversAndClosedBeforeTheyUnload() {
    HostRuntimeFixtures.offline(state, kernel -> HostRuntimeFixtures.installSample(kernel, "Null", 1));
    List<String> events = new ArrayList<>();
    HostRuntime host = start(HostOptions.of(state).withShutdownHook(false).withListener((kernel, options) -> {
      events.add("listen with " + HostRuntimeFixtures.loadedServices(kernel));
      HostRuntime.Listener placeholder = HostRuntime.ListenerFactory.DEFAULT.start(kernel, options);
      return () -> {
        events.add("close with " + HostRuntimeFixtures.loadedServices(kernel));
        placeholder.close();
      };
    }));

    host.shutdown();

    assertThat(events).containsExactly("listen with [Null]", "close with [Null]");
  }

  @Test
  void startDriversLoadAndShutdownUnloadsThemInReverseLoadOrder() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", 1);
      HostRuntimeFixtures.installSample(kernel, "Echo", 1);
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Echo", RegValue.string("Group", "Base"));
      HostRuntimeFixtures.setValue(kernel, StartDrivers.SERVICE_GROUP_ORDER,
          RegValue.multiString("List", List.of("Base")));
    });

    HostRuntime host = start();

    // Null has no group, so Echo (group Base) loads first.
    assertThat(host.startDrivers()).extracting(StartDriverOutcome::service).containsExactly("Echo", "Null");
    assertThat(host.startDrivers()).allSatisfy(o -> assertThat(o.status()).isEqualTo(NtStatus.STATUS_SUCCESS));
    assertThat(HostRuntimeFixtures.loadedServices(host.kernel())).containsExactly("Echo", "Null");

    HostRuntime.ShutdownReport report = host.shutdown();

    assertThat(report.unloads()).extracting(HostRuntime.Unload::service).containsExactly("Null", "Echo");
    assertThat(report.unloads()).allSatisfy(u -> {
      assertThat(u.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(u.deferred()).isFalse();
    });
    assertThat(report.stuckThreads()).isEmpty();
    assertThat(host.shutdown()).as("idempotent").isSameAs(report);
  }

  @Test
  void aClientsOpenHandleDoesNotHoldTheUnloadAtShutdownBecauseClientsAreRunDownFirst() {
    HostRuntimeFixtures.offline(state, kernel -> HostRuntimeFixtures.installSample(kernel, "Echo", 2));
    HostRuntime host = start();
    KThread client = host.kernel().userSession("client", Sid.unixUser(1000));
    OpenResult opened = host.kernel().services().ntCreateFile(client,
        AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE, ObjectAttributes.of("\\Device\\Echo"), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    HostRuntime.ShutdownReport report = host.shutdown();

    assertThat(report.unloads()).singleElement().satisfies(u -> {
      assertThat(u.service()).isEqualTo("Echo");
      assertThat(u.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(u.deferred()).isFalse();
    });
  }

  @Test
  void aPnpDriverThatUnloadedWithItsLastDeviceAtShutdownIsReportedUnloadedNotFailed() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "ToasterBus", 3);
      try (ntio.kernel.LocalNt devcon = ntio.kernel.LocalNt.administrator(kernel, "devcon", 0)) {
        devcon.adjustPrivileges(List.of(ntio.api.LuidAndAttributes.enable(ntio.api.Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
        assertThat(devcon.installDevice(new ntio.api.DeviceInstall("Root\\ToasterBus", "ToasterBus", "",
            List.of(), List.of())).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      }
    });
    HostRuntime host = start();
    assertThat(HostRuntimeFixtures.loadedServices(host.kernel())).as("the boot enumerated the root device")
        .containsExactly("ToasterBus");

    HostRuntime.ShutdownReport report = host.shutdown();

    // Its devices are removed first, so the bus driver unloads with its last device, before the
    // host's NtUnloadDriver: its row says unloaded, not failed, and not deferred.
    assertThat(report.unloads()).singleElement().satisfies(u -> {
      assertThat(u.service()).isEqualTo("ToasterBus");
      assertThat(u.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(u.deferred()).isFalse();
    });
  }

  @Test
  void anUnloadKeptWaitingByAKernelHandleIsReportedDeferredAndTheOthersAreNot() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", 2);
      HostRuntimeFixtures.installSample(kernel, "Echo", 2);
    });
    HostRuntime host = start();
    // A handle in the System process: the client rundown at shutdown does not close it.
    OpenResult opened = host.kernel().services().ntCreateFile(host.kernel().systemThread(),
        AccessMask.GENERIC_READ, new ObjectAttributes(Handle.NULL,
            UnicodeString.of("\\Device\\Echo"), ObjectAttributes.OBJ_KERNEL_HANDLE), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    HostRuntime.ShutdownReport report = host.shutdown();

    assertThat(report.unloads()).extracting(HostRuntime.Unload::service, HostRuntime.Unload::deferred)
        .containsExactlyInAnyOrder(tuple("Echo", true), tuple("Null", false));
  }

  @Test
  void aFailingStartDriverIsSkippedAndTheHostStillStarts() {
    HostRuntimeFixtures.offline(state, kernel -> {
      HostRuntimeFixtures.installSample(kernel, "Null", 1);
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Broken", RegValue.dword("Type", 1));
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Broken", RegValue.dword("Start", 1));
      HostRuntimeFixtures.setValue(kernel, SERVICES + "Broken",
          RegValue.expandString("ImagePath", "System32\\drivers\\Missing.jar"));
    });

    HostRuntime host = start();

    assertThat(host.startDrivers()).extracting(StartDriverOutcome::service).containsExactly("Broken", "Null");
    assertThat(host.startDrivers().get(0).loaded()).isFalse();
    assertThat(host.startDrivers().get(1).loaded()).isTrue();
    assertThat(host.isRunning()).isTrue();
  }

  @Test
  void theHivePersistsAcrossRestartsAndTheStartDriversLoadAgain() throws InterruptedException {
    HostRuntimeFixtures.offline(state, kernel -> HostRuntimeFixtures.installSample(kernel, "Null", 2));
    HostRuntime first = start();
    HostRuntimeFixtures.setValue(first.kernel(), SERVICES + "Null\\Parameters", RegValue.dword("Answer", 42));
    first.shutdown();
    assertThat(first.awaitShutdown(1, TimeUnit.SECONDS)).isTrue();

    HostRuntime second = start();

    assertThat(HostRuntimeFixtures.value(second.kernel(), SERVICES + "Null\\Parameters", "Answer"))
        .hasValueSatisfying(v -> assertThat(v.dwordValue()).hasValue(42));
    assertThat(second.startDrivers()).singleElement()
        .satisfies(o -> assertThat(o.status()).isEqualTo(NtStatus.STATUS_SUCCESS));
    assertThat(HostRuntimeFixtures.loadedServices(second.kernel())).containsExactly("Null");
  }

  @Test
  void aListenerThatCannotStartStopsTheKernelAndReleasesTheLock() {
    assertThatThrownBy(() -> start(HostOptions.of(state).withShutdownHook(false)
            .withListener((kernel, options) -> {
              throw new IOException("address in use");
            })))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("cannot serve");

    assertThat(state.resolve(HostOptions.LOCK_FILE)).doesNotExist();
    assertThat(start().isRunning()).isTrue();
  }
}
