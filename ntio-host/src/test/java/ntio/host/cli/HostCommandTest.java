package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.run;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import ntio.kernel.Kernel;
import ntio.hostfs.FileTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio host} on a state directory that is not its own exits 1 at once, naming the path and
 * the fix. (A host that started would block these tests until their timeout.)
 */
@Timeout(60)
class HostCommandTest {

  @TempDir Path temp;

  @Test
  void aStateDirectoryAnotherUserPreparedWithAnAutoStartServiceIsRefusedWithExitCode1() throws IOException {
    assumeTrue(FileTrust.forThisProcess().uid() == FileTrust.ROOT_UID, "chown needs root");
    Path state = temp.resolve("state");
    // What the unprivileged user runs; the chown below makes it theirs, as if they had.
    assertThat(embedded(state, "sc", "create", "Pwn", "--image", sampleImage("Echo").toString(),
        "--start", "auto").exitCode()).isZero();
    try (Stream<Path> paths = Files.walk(state)) {
      for (Path p : paths.toList()) {
        Files.setAttribute(p, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
      }
    }

    CliHarness.Result host = run("host", "--state", state.toString());

    assertThat(host.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(host.err()).startsWith("ntio: refusing to use " + state + ": another user could make this host (uid 0) run their code")
        .contains(state + " is owned by uid 65534, not by the host's uid 0; fix: chown 0 " + state);
    assertThat(host.out()).isEmpty();
    assertThat(state.resolve("ntio.lock")).doesNotExist();
  }

  @Test
  void aWorldWritableStateDirectoryIsRefusedWithExitCode1() throws IOException {
    Path state = Files.createDirectory(temp.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));

    CliHarness.Result host = run("host", "--state", state.toString());

    assertThat(host.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(host.err()).contains(state + " is writable by others (mode 0777 (rwxrwxrwx)); fix: chmod go-w " + state);
  }

  @Test
  void aLogFileThatIsASymbolicLinkIsRefusedBeforeAnythingIsWrittenThroughIt() throws IOException {
    Path precious = Files.writeString(temp.resolve("precious"), "keep\n");
    Path log = Files.createSymbolicLink(temp.resolve("host.log"), precious);

    CliHarness.Result host = run("host", "--state", temp.resolve("state").toString(), "--log-file", log.toString());

    assertThat(host.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(host.err()).contains(log + " is a symbolic link, which the host does not follow");
    assertThat(Files.readString(precious)).isEqualTo("keep\n");
    assertThat(temp.resolve("state").resolve(Kernel.HIVE_FILE)).doesNotExist();
  }
}
