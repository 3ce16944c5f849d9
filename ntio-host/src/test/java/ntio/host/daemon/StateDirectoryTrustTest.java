package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ntio.api.StartDriverOutcome;
import ntio.ddk.NtStatus;
import ntio.kernel.Kernel;
import ntio.hostfs.FileTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host boots only on a state directory that is its own. These run as root here, as the host
 * does: "another user" is uid 65534 (nobody), given with chown; tests that need chown are skipped
 * when not root.
 */
@Timeout(60)
class StateDirectoryTrustTest {

  private static final int NOBODY = 65534;

  @TempDir Path temp;
  private Path state;
  private final List<HostRuntime> hosts = new ArrayList<>();
  private final FileTrust trust = FileTrust.forThisProcess();

  @BeforeEach
  void stateDirectory() {
    state = temp.resolve("state");
  }

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

  /** What an unprivileged user prepares: an auto-start service whose image is theirs. */
  private void prepareAutoStartEcho() {
    HostRuntimeFixtures.offline(state, kernel -> HostRuntimeFixtures.installSample(kernel, "Echo", 2));
  }

  @Test
  void aStateDirectoryOwnedByAnotherUidWithAnAutoStartServiceIsRefusedAndNothingInItIsLoaded() throws IOException {
    assumeRoot();
    prepareAutoStartEcho();
    chownTree(state, NOBODY);
    Path hive = state.resolve(Kernel.HIVE_FILE);
    byte[] hiveBefore = Files.readAllBytes(hive);

    assertThatThrownBy(this::start)
        .isInstanceOf(StateDirectoryTrust.UntrustedStateDirectoryException.class)
        .hasMessage("refusing to use " + state + ": another user could make this host (uid 0) run their code\n  "
            + state + " is owned by uid 65534, not by the host's uid 0; fix: chown 0 " + state
            + " (after checking what is in it)");

    assertThat(state.resolve(HostOptions.LOCK_FILE)).doesNotExist();
    assertThat(state.resolve(HostOptions.SOCKET_FILE)).doesNotExist();
    assertThat(Files.readAllBytes(hive)).isEqualTo(hiveBefore);
    // The same directory, once it is root's, does start Echo: the refusal above is what stopped it.
    chownTree(state, FileTrust.ROOT_UID);
    assertThat(start().startDrivers()).singleElement().satisfies(o -> {
      assertThat(o.service()).isEqualTo("Echo");
      assertThat(o.loaded()).isTrue();
    });
  }

  @Test
  void anAutoStartImageOwnedByAnotherUidIsBlockedAndTheHostStartsWithoutIt() throws IOException {
    assumeRoot();
    prepareAutoStartEcho();
    Path image = state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers").resolve("Echo.jar");
    Files.setAttribute(image, "unix:uid", NOBODY);

    HostRuntime host = start();

    StartDriverOutcome echo = host.startDrivers().get(0);
    assertThat(echo.loaded()).isFalse();
    assertThat(echo.status()).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED);
    assertThat(host.kernel().io().loader().policy().ownership()).contains(trust);
    assertThat(host.kernel().io().drivers()).noneMatch(d -> d.service().equals("Echo"));
  }

  @Test
  void aGroupWritableStateDirectoryIsRefusedWithChmodGoW() throws IOException {
    Files.createDirectory(state);
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwx---"));

    assertThatThrownBy(this::start)
        .isInstanceOf(StateDirectoryTrust.UntrustedStateDirectoryException.class)
        .hasMessageEndingWith("\n  " + state + " is writable by its group (mode 0770 (rwxrwx---)); fix: chmod go-w " + state);
    assertThat(state.resolve(HostOptions.LOCK_FILE)).doesNotExist();
  }

  @Test
  void aWorldWritableStateDirectoryIsRefused() throws IOException {
    Files.createDirectory(state);
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(this::start).hasMessageContaining(state + " is writable by others (mode 0777 (rwxrwxrwx))");
  }

  @Test
  void aWorldWritableParentThatIsNotStickyIsRefusedAndNoStateDirectoryIsMadeInIt() throws IOException {
    Path parent = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
    state = parent.resolve("state");

    assertThatThrownBy(this::start)
        .isInstanceOf(StateDirectoryTrust.UntrustedStateDirectoryException.class)
        .hasMessageContaining(parent + " is writable by others (mode 0777 (rwxrwxrwx)) and is not a root-owned sticky directory")
        .hasMessageContaining("fix: chmod go-w " + parent);
    assertThat(state).doesNotExist();
  }

  @Test
  void aStateDirectoryInARootOwnedStickyDirectoryLikeTmpIsAccepted() throws IOException {
    assumeRoot();
    Path tmp = Files.createDirectory(temp.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    state = tmp.resolve("state");

    assertThat(start().isRunning()).isTrue();
  }

  @Test
  void aMissingStateDirectoryIsMadeAndEverythingTheHostMakesHasItsExactMode() throws IOException {
    HostRuntime host = start();

    assertThat(mode(state)).isEqualTo("rwx------");
    for (String directory : List.of("registry", "SystemRoot", "SystemRoot/System32", "SystemRoot/System32/drivers")) {
      assertThat(mode(state.resolve(directory))).as(directory).isEqualTo("rwx------");
    }
    assertThat(mode(state.resolve(Kernel.HIVE_FILE))).isEqualTo("rw-------");
    assertThat(mode(state.resolve(HostOptions.LOCK_FILE))).isEqualTo("rw-------");
    assertThat(mode(host.socketPath())).isEqualTo("rw-rw----");
  }

  @Test
  void aLockFileThatIsASymbolicLinkIsRefusedAndItsTargetIsUntouched() throws IOException {
    Path precious = Files.writeString(temp.resolve("shadow"), "root:secret\n");
    Files.createDirectory(state);
    Files.createSymbolicLink(state.resolve(HostOptions.LOCK_FILE), precious);

    assertThatThrownBy(this::start)
        .isInstanceOf(StateDirectoryTrust.UntrustedStateDirectoryException.class)
        .hasMessageContaining(state.resolve(HostOptions.LOCK_FILE) + " is a symbolic link, which the host does not follow");

    assertThat(Files.readString(precious)).isEqualTo("root:secret\n");
    assertThat(Files.isSymbolicLink(state.resolve(HostOptions.LOCK_FILE))).isTrue();
  }

  @Test
  void aHiveOwnedByAnotherUidIsRefusedAndEveryProblemIsNamedAtOnce() throws IOException {
    assumeRoot();
    HostRuntimeFixtures.offline(state, kernel -> { });
    Path hive = state.resolve(Kernel.HIVE_FILE);
    Files.setAttribute(hive, "unix:uid", NOBODY);
    Path drivers = state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    Files.setPosixFilePermissions(drivers, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(this::start)
        .isInstanceOfSatisfying(StateDirectoryTrust.UntrustedStateDirectoryException.class, e ->
            assertThat(e.problems()).extracting(FileTrust.Problem::path).containsExactly(hive, drivers))
        .hasMessageContaining(hive + " is owned by uid 65534")
        .hasMessageContaining(drivers + " is writable by others");
  }

  @Test
  void aSocketInAWorldWritableDirectoryIsRefused() throws IOException {
    Path open = Files.createDirectory(temp.resolve("run"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> start(HostOptions.of(state).withShutdownHook(false).withSocket(open.resolve("ntio.sock"))))
        .isInstanceOf(StateDirectoryTrust.UntrustedStateDirectoryException.class)
        .hasMessageContaining(open + " is writable by others");
  }

  @Test
  void theTrustOfAnotherUidRefusesWhatThisHostMade() {
    HostRuntimeFixtures.offline(state, kernel -> { });

    assertThat(new StateDirectoryTrust(FileTrust.forUid(trust.uid() + 1)).problemsInside(state))
        .singleElement().satisfies(p -> assertThat(p.path()).isEqualTo(state));
    assertThat(StateDirectoryTrust.forThisProcess().problemsInside(state)).isEmpty();
  }

  private void assumeRoot() {
    assumeTrue(trust.uid() == FileTrust.ROOT_UID, "chown needs root");
  }

  private static void chownTree(Path root, int uid) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
