package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.LocalNt;
import ntio.kernel.objects.ObjectManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object-manager calls a client makes over the socket ({@code NtDuplicateObject}, {@code
 * NtCreateDirectoryObject}, {@code NtCreateSymbolicLinkObject}, {@code NtMakeTemporaryObject},
 * {@code NtMakePermanentObject}) answer what the same calls answer in-process. Handle values are
 * each process's own, so results are compared by status and by whether a handle came back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtObjectCallsTest {

  private static final int SAME_ACCESS = ObjectManager.DUPLICATE_SAME_ACCESS;
  private static final int CLOSE_SOURCE = ObjectManager.DUPLICATE_CLOSE_SOURCE;

  @TempDir Path directory;
  private Parity parity;
  private TestDaemon daemon;
  private RemoteNt remote;
  private LocalNt local;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory);
    daemon = parity.daemon;
    remote = parity.remote;
    local = parity.local;
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  /**
   * Wine's {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c}, {@code test_file_handles}: {@code
   * DuplicateHandle(GetCurrentProcess(), file, GetCurrentProcess(), &dup, 0, FALSE,
   * DUPLICATE_SAME_ACCESS)} on a device file gives a second handle to the same file object, and
   * closing one of the two leaves the other usable.
   */
  @Test
  void aDuplicatedDeviceFileHandleStaysUsableAfterTheOriginalIsClosed() {
    daemon.loadSample(remote, "Echo");
    for (NtApi nt : new NtApi[] {remote, local}) {
      Handle file = TestDaemon.openEcho(nt);
      OpenResult dup = nt.duplicateObject(file, 0, 0, SAME_ACCESS);
      assertThat(dup.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(dup.handle()).isNotEqualTo(file);
      byte[] data = "dup".getBytes(StandardCharsets.US_ASCII);
      assertThat(nt.writeFile(file, data, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

      assertThat(nt.close(file)).isEqualTo(NtStatus.STATUS_SUCCESS);

      IoResult read = nt.readFile(dup.handle(), data.length, 0);
      assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(read.data()).isEqualTo(data);
      assertThat(nt.close(dup.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void duplicateCloseSourceLeavesOnlyTheNewHandle() {
    daemon.loadSample(remote, "Echo");
    for (NtApi nt : new NtApi[] {remote, local}) {
      Handle file = TestDaemon.openEcho(nt);
      OpenResult moved = nt.duplicateObject(file, 0, 0, SAME_ACCESS | CLOSE_SOURCE);
      assertThat(moved.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.close(file)).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
      assertThat(nt.writeFile(moved.handle(), new byte[] {1}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.close(moved.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void duplicateGivesTheSameStatusesRemoteAsLocal() {
    Handle remoteRoot = remote.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\")).handle();
    Handle localRoot = local.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\")).handle();
    int[][] cases = {
        {AccessMask.DIRECTORY_QUERY, 0, 0},
        {AccessMask.DIRECTORY_ALL_ACCESS, 0, 0},
        {AccessMask.GENERIC_READ, ObjectAttributes.OBJ_INHERIT, 0},
        {0, 0, ObjectManager.DUPLICATE_SAME_ATTRIBUTES | SAME_ACCESS},
    };
    for (int[] c : cases) {
      OpenResult r = remote.duplicateObject(remoteRoot, c[0], c[1], c[2]);
      OpenResult l = local.duplicateObject(localRoot, c[0], c[1], c[2]);
      assertThat(r.status()).as("access %x attributes %x options %x", c[0], c[1], c[2]).isEqualTo(l.status());
      assertThat(r.handle().isNull()).isEqualTo(l.handle().isNull());
    }
    Handle bogus = new Handle(0x7FF0);
    assertThat(remote.duplicateObject(bogus, 0, 0, SAME_ACCESS))
        .isEqualTo(local.duplicateObject(bogus, 0, 0, SAME_ACCESS))
        .isEqualTo(new OpenResult(NtStatus.STATUS_INVALID_HANDLE, Handle.NULL));
  }

  @Test
  void directoriesAndSymbolicLinksAreCreatedRemoteAsLocal() {
    for (NtApi nt : new NtApi[] {remote, local}) {
      String dir = "\\WireDir" + (nt == remote ? "Remote" : "Local");
      OpenResult created = nt.createDirectoryObject(AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of(dir));
      assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.createDirectoryObject(AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of(dir)).status())
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_COLLISION);
      OpenResult link = nt.createSymbolicLinkObject(AccessMask.SYMBOLIC_LINK_ALL_ACCESS,
          ObjectAttributes.relative(created.handle(), "Link"), UnicodeString.of("\\Device\\Somewhere"));
      assertThat(link.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.querySymbolicLinkObject(link.handle()).target()).isEqualTo("\\Device\\Somewhere");
      OpenResult reopened = nt.openSymbolicLinkObject(AccessMask.SYMBOLIC_LINK_QUERY,
          ObjectAttributes.of(dir + "\\Link"));
      assertThat(reopened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    OpenResult remoteNullTarget = remote.createSymbolicLinkObject(AccessMask.SYMBOLIC_LINK_ALL_ACCESS,
        ObjectAttributes.of("\\WireNullTarget"), null);
    OpenResult localNullTarget = local.createSymbolicLinkObject(AccessMask.SYMBOLIC_LINK_ALL_ACCESS,
        ObjectAttributes.of("\\WireNullTarget"), null);
    assertThat(remoteNullTarget).isEqualTo(localNullTarget);
    assertThat(remoteNullTarget.status().isSuccess()).isFalse();
    assertThat(remote.createDirectoryObject(AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\No\\Such\\Dir")))
        .isEqualTo(local.createDirectoryObject(AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\No\\Such\\Dir")));
  }

  /**
   * {@code NtMakePermanentObject} needs {@code SeCreatePermanentPrivilege}, which on Windows only
   * LocalSystem holds: an administrator's token has no such privilege to enable, so a client is
   * refused either way. {@code NtMakeTemporaryObject} needs {@code DELETE} access on the handle.
   */
  @Test
  void permanenceNeedsThePrivilegeAndTemporaryNeedsDeleteAccessRemoteAsLocal() {
    for (NtApi nt : new NtApi[] {remote, local}) {
      String name = "\\WirePermanent" + (nt == remote ? "Remote" : "Local");
      Handle dir = nt.createDirectoryObject(AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of(name)).handle();
      assertThat(nt.makePermanentObject(dir)).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
      nt.adjustPrivileges(java.util.List.of(
          ntio.api.LuidAndAttributes.enable(Privilege.SE_CREATE_PERMANENT_PRIVILEGE)));
      assertThat(nt.makePermanentObject(dir)).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);

      Handle queryOnly = nt.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of(name)).handle();
      assertThat(nt.makeTemporaryObject(queryOnly)).isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
      assertThat(nt.makeTemporaryObject(dir)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.close(queryOnly)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.close(dir)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(nt.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of(name)).status())
          .as("a temporary object's name goes with its last handle").isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    Handle bogus = new Handle(0x7FF0);
    assertThat(remote.makeTemporaryObject(bogus)).isEqualTo(local.makeTemporaryObject(bogus))
        .isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
  }
}
