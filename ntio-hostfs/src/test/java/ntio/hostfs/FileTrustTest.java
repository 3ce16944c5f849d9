package ntio.hostfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import ntio.hostfs.FileTrust.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ownership rule on real files. The tests run as root here: "another user" is uid 65534
 * (nobody), given with {@code chown}; the trusting uid is this process's.
 */
class FileTrustTest {

  private static final int NOBODY = 65534;

  @TempDir
  Path temp;

  private final FileTrust trust = FileTrust.forThisProcess();

  @Test
  void theTrustingUidIsThisProcesssEffectiveUidAsTheOwnerOfANewFileShows() throws IOException {
    Path probe = Files.createFile(temp.resolve("probe"));

    assertThat(trust.uid()).isEqualTo(Files.getAttribute(probe, "unix:uid"));
  }

  @Test
  void aPrivateDirectoryOfTheTrustingUidIsTrusted() throws IOException {
    Path state = directory(temp.resolve("state"), "rwxr-x--x");

    assertThat(trust.checkOwn(state, Kind.DIRECTORY)).isEmpty();
    assertThat(trust.checkAncestors(state)).isEmpty();
  }

  @Test
  void aDirectoryOwnedByAnotherUidIsRefusedNamingTheOwnerAndTheFix() throws IOException {
    assumeRoot();
    Path state = directory(temp.resolve("state"), "rwx------");
    Files.setAttribute(state, "unix:uid", NOBODY);

    FileTrust.Problem problem = trust.checkOwn(state, Kind.DIRECTORY).orElseThrow();

    assertThat(problem.path()).isEqualTo(state);
    assertThat(problem.reason()).isEqualTo("is owned by uid 65534, not by the host's uid " + trust.uid());
    assertThat(problem.fix()).startsWith("chown " + trust.uid() + " " + state);
  }

  @Test
  void aGroupWritableDirectoryIsRefusedWithItsModeAndChmodGoW() throws IOException {
    Path state = directory(temp.resolve("state"), "rwxrwx---");

    FileTrust.Problem problem = trust.checkOwn(state, Kind.DIRECTORY).orElseThrow();

    assertThat(problem.describe()).isEqualTo(
        state + " is writable by its group (mode 0770 (rwxrwx---)); fix: chmod go-w " + state);
  }

  @Test
  void aWorldWritableFileIsRefused() throws IOException {
    Path hive = file(temp.resolve("SYSTEM.mv.db"), "rw-rw-rw-");

    assertThat(trust.checkOwn(hive, Kind.REGULAR_FILE).orElseThrow().reason())
        .isEqualTo("is writable by others (mode 0666 (rw-rw-rw-))");
  }

  @Test
  void aSymbolicLinkIsRefusedEvenWhenItPointsAtATrustedFile() throws IOException {
    Path target = file(temp.resolve("target"), "rw-------");
    Path link = Files.createSymbolicLink(temp.resolve("ntio.lock"), target);

    assertThat(trust.checkOwn(link, Kind.REGULAR_FILE).orElseThrow().reason())
        .isEqualTo("is a symbolic link, which the host does not follow");
  }

  @Test
  void aDirectoryWhereAFileShouldBeIsRefused() throws IOException {
    Path notAFile = directory(temp.resolve("SYSTEM.mv.db"), "rwx------");

    assertThat(trust.checkOwn(notAFile, Kind.REGULAR_FILE).orElseThrow().reason())
        .isEqualTo("is a directory, not a regular file");
  }

  @Test
  void aWorldWritableParentThatIsNotStickyIsRefused() throws IOException {
    Path parent = directory(temp.resolve("shared"), "rwxrwxrwx");
    Path state = directory(parent.resolve("state"), "rwx------");

    FileTrust.Problem problem = trust.checkAncestors(state).orElseThrow();

    assertThat(problem.path()).isEqualTo(parent);
    assertThat(problem.reason()).startsWith("is writable by others (mode 0777 (rwxrwxrwx))");
    assertThat(problem.fix()).isEqualTo("chmod go-w " + parent);
  }

  @Test
  void aGroupWritableParentIsRefusedAsSshdRefusesIt() throws IOException {
    Path parent = directory(temp.resolve("team"), "rwxrwxr-x");
    Path state = directory(parent.resolve("state"), "rwx------");

    assertThat(trust.checkAncestors(state).orElseThrow().reason()).startsWith("is writable by its group");
  }

  @Test
  void aRootOwnedStickyParentLikeTmpIsAccepted() throws IOException {
    assumeRoot();
    Path parent = directory(temp.resolve("tmp"), "rwxrwxrwx");
    Files.setAttribute(parent, "unix:mode", 01777);
    Path state = directory(parent.resolve("state"), "rwx------");

    assertThat(Files.getAttribute(parent, "unix:uid")).isEqualTo(FileTrust.ROOT_UID);
    assertThat(trust.checkAncestors(state)).isEmpty();
  }

  @Test
  void aStickyParentOwnedByAnotherUidIsRefused() throws IOException {
    assumeRoot();
    Path parent = directory(temp.resolve("tmp"), "rwxrwxrwx");
    Files.setAttribute(parent, "unix:mode", 01777);
    Files.setAttribute(parent, "unix:uid", NOBODY);
    Path state = directory(parent.resolve("state"), "rwx------");

    FileTrust.Problem problem = trust.checkAncestors(state).orElseThrow();

    assertThat(problem.path()).isEqualTo(parent);
    assertThat(problem.reason()).startsWith("is owned by uid 65534, not by root or the host's uid");
  }

  @Test
  void anAncestorOwnedByAnotherUidIsRefusedThoughItsModeIsPrivate() throws IOException {
    assumeRoot();
    Path home = directory(temp.resolve("home"), "rwx------");
    Files.setAttribute(home, "unix:uid", NOBODY);
    Path state = directory(home.resolve("state"), "rwx------");

    assertThat(trust.checkAncestors(state).orElseThrow().path()).isEqualTo(home);
  }

  @Test
  void aPathThatDoesNotExistYetIsJudgedByTheDirectoriesThatDo() throws IOException {
    Path open = directory(temp.resolve("open"), "rwxrwxrwx");

    assertThat(trust.checkAncestors(temp.resolve("fine").resolve("state"))).isEmpty();
    assertThat(trust.checkAncestors(open.resolve("new").resolve("state")).orElseThrow().path()).isEqualTo(open);
  }

  @Test
  void aLinkOnTheWayIsFollowedAndTheDirectoriesOfItsTargetAreCheckedToo() throws IOException {
    Path open = directory(temp.resolve("open"), "rwxrwxrwx");
    Path realState = directory(open.resolve("state"), "rwx------");
    Path trusted = directory(temp.resolve("trusted"), "rwx------");
    Path link = Files.createSymbolicLink(trusted.resolve("state-link"), realState);

    FileTrust.Problem problem = trust.checkAncestors(link.resolve("registry")).orElseThrow();

    assertThat(problem.path()).isEqualTo(open.toRealPath());
  }

  @Test
  void anImageOwnedByAnotherUidIsRefusedAndOneOwnedByRootIsTrusted() throws IOException {
    assumeRoot();
    Path drivers = directory(temp.resolve("drivers"), "rwx------");
    Path mine = file(drivers.resolve("Mine.jar"), "rw-r--r--");
    Path theirs = file(drivers.resolve("Pwn.jar"), "rw-r--r--");
    Files.setAttribute(theirs, "unix:uid", NOBODY);

    assertThat(trust.checkImage(mine.toRealPath())).isEmpty();
    assertThat(trust.checkImage(theirs.toRealPath()).orElseThrow().describe()).startsWith(
        theirs.toRealPath() + " is owned by uid 65534, not by root or the host's uid " + trust.uid());
  }

  @Test
  void anImageWritableByItsGroupOrInAWritableDirectoryIsRefused() throws IOException {
    Path drivers = directory(temp.resolve("drivers"), "rwx------");
    Path groupWritable = file(drivers.resolve("Group.jar"), "rw-rw-r--");
    Path open = directory(temp.resolve("open"), "rwxrwxrwx");
    Path inOpen = file(open.resolve("Open.jar"), "rw-r--r--");

    assertThat(trust.checkImage(groupWritable.toRealPath()).orElseThrow().reason()).startsWith("is writable by its group");
    assertThat(trust.checkImage(inOpen.toRealPath()).orElseThrow().path()).isEqualTo(open.toRealPath());
  }

  @Test
  void anotherUidTrustsOnlyWhatItOwns() throws IOException {
    assumeRoot();
    Path state = directory(temp.resolve("state"), "rwx------");
    Files.setAttribute(state, "unix:uid", NOBODY);

    assertThat(FileTrust.forUid(NOBODY).checkOwn(state, Kind.DIRECTORY)).isEmpty();
    assertThat(FileTrust.forUid(NOBODY).checkAncestors(state)).isEmpty();
  }

  /** Giving a file to another uid, or making one root's, takes root. */
  private void assumeRoot() {
    assumeTrue(trust.uid() == FileTrust.ROOT_UID, "chown needs root");
  }

  private static Path directory(Path path, String mode) throws IOException {
    Files.createDirectory(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    return path;
  }

  private static Path file(Path path, String mode) throws IOException {
    Files.createFile(path);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    assertThat(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).isTrue();
    return path;
  }
}
