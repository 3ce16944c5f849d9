package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import ntio.hostfs.FileTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file is the host's own, whatever was left in its place. */
class HostLockTest {

  @TempDir Path state;

  @Test
  void aLockFileThatIsASymbolicLinkIsRefusedAndItsTargetIsNeitherTruncatedNorWritten() throws IOException {
    Path precious = Files.writeString(state.resolve("passwd"), "root:x:0:0\n");
    Path lock = Files.createSymbolicLink(state.resolve(HostOptions.LOCK_FILE), precious);

    assertThatThrownBy(() -> HostLock.acquire(lock, state.resolve("ntio.sock")))
        .isInstanceOf(StateDirectoryTrust.UntrustedStateDirectoryException.class)
        .hasMessageContaining(lock + " is a symbolic link, which the host does not follow; fix: rm " + lock);

    assertThat(Files.readString(precious)).isEqualTo("root:x:0:0\n");
  }

  @Test
  void aLockFileThatIsNotARegularFileIsRefused() throws IOException {
    Path lock = Files.createDirectory(state.resolve(HostOptions.LOCK_FILE));

    assertThatThrownBy(() -> HostLock.acquire(lock, state.resolve("ntio.sock")))
        .hasMessageContaining(lock + " is a directory, not a regular file");
  }

  @Test
  void aLockFileOwnedByAnotherUidIsRefused() throws IOException {
    assumeTrue(FileTrust.forThisProcess().uid() == FileTrust.ROOT_UID, "chown needs root");
    Path lock = Files.writeString(state.resolve(HostOptions.LOCK_FILE), "pid=1\n");
    Files.setAttribute(lock, "unix:uid", 65534);

    assertThatThrownBy(() -> HostLock.acquire(lock, state.resolve("ntio.sock")))
        .hasMessageContaining(lock + " is owned by uid 65534");
    assertThat(Files.readString(lock)).isEqualTo("pid=1\n");
  }

  @Test
  void aNewLockFileIsExactly0600AndAStaleOneOfTheHostsIsTakenOver() throws IOException {
    Path lock = state.resolve(HostOptions.LOCK_FILE);
    HostLock first = HostLock.acquire(lock, state.resolve("ntio.sock"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lock, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-------");
    first.release();
    Files.writeString(lock, "pid=1\n");

    HostLock second = HostLock.acquire(lock, state.resolve("ntio.sock"));
    try {
      assertThat(HostLock.read(lock)).contains(second.holder());
    } finally {
      second.release();
    }
  }
}
