package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.api.NtApi;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * NtQueryObject and the opens its names come from give the same statuses and names to a client
 * of the daemon as to an embedded one: a file's ObjectNameInformation (the device's name, Echo
 * answering no FileNameInformation), an open with a trailing separator after the device's name,
 * an open relative to a file handle, and a handle the caller does not hold.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueryObjectParityTest {

  @TempDir Path directory;
  private Parity parity;
  private RemoteNt remote;
  private LocalNt local;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory).withEchoLoaded();
    remote = parity.remote;
    local = parity.local;
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  private static OpenResult open(NtApi nt, Handle root, String name) {
    return nt.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        new ObjectAttributes(root, UnicodeString.of(name), ObjectAttributes.OBJ_CASE_INSENSITIVE), 0, 0);
  }

  /** What must match: everything but the counts, which depend on each side's own handles. */
  private static String summary(ObjectQuery query) {
    return query.status() + " " + query.nameStatus() + " "
        + (query.info() == null ? "-" : query.info().typeName() + " " + query.info().name() + " "
            + Integer.toHexString(query.info().grantedAccess()));
  }

  @Test
  void queryObjectOfAFileIsTheSameRemoteAsEmbedded() {
    Handle remoteFile = TestDaemon.openEcho(remote);
    Handle localFile = TestDaemon.openEcho(local);

    ObjectQuery remoteAnswer = remote.queryObject(remoteFile);

    assertThat(remoteAnswer.nameStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remoteAnswer.info().name()).isEqualTo("\\Device\\Echo");
    assertThat(remoteAnswer.info().typeName()).isEqualTo("File");
    assertThat(summary(remoteAnswer)).isEqualTo(summary(local.queryObject(localFile)));
    assertThat(remote.queryObject(new Handle(0x7FF0))).isEqualTo(local.queryObject(new Handle(0x7FF0)));
    assertThat(remote.queryObject(new Handle(0x7FF0)).nameStatus()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
  }

  @Test
  void aTrailingSeparatorAndARelativeOpenAreTheSameRemoteAsEmbedded() {
    OpenResult remoteTrailing = open(remote, Handle.NULL, "\\??\\Echo\\");
    OpenResult localTrailing = open(local, Handle.NULL, "\\??\\Echo\\");
    assertThat(remoteTrailing.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(localTrailing.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    OpenResult remoteRelative = open(remote, remoteTrailing.handle(), "child");
    OpenResult localRelative = open(local, localTrailing.handle(), "child");

    assertThat(remoteRelative.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(localRelative.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(summary(remote.queryObject(remoteRelative.handle())))
        .isEqualTo(summary(local.queryObject(localRelative.handle())));
    assertThat(open(remote, remoteTrailing.handle(), "\\\\x").status())
        .isEqualTo(open(local, localTrailing.handle(), "\\\\x").status());
  }
}
