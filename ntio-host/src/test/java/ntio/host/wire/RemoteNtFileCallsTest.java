package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.FileInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file calls a client makes over the socket beyond reads, writes and controls ({@code
 * NtOpenFile}, {@code NtQueryInformationFile}, {@code NtSetInformationFile}) answer what the same
 * calls answer in-process: the same status, {@code Information} and bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtFileCallsTest {

  private static final int READ_WRITE = AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE;

  @TempDir Path directory;
  private Parity parity;
  private RemoteNt remote;
  private LocalNt local;
  private Handle remoteEcho;
  private Handle localEcho;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory).withEcho();
    remote = parity.remote;
    local = parity.local;
    remoteEcho = parity.remoteEcho();
    localEcho = parity.localEcho();
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  @Test
  void openFileOpensADeviceRemoteAsLocal() {
    OpenResult remoteOpen = remote.openFile(READ_WRITE, ObjectAttributes.of("\\??\\Echo"), 0, 0);
    OpenResult localOpen = local.openFile(READ_WRITE, ObjectAttributes.of("\\??\\Echo"), 0, 0);
    assertThat(remoteOpen.status()).isEqualTo(localOpen.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.writeFile(remoteOpen.handle(), new byte[] {7}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    Parity.assertSameIoResult(remote.readFile(remoteOpen.handle(), 1, 0), new IoResult(NtStatus.STATUS_SUCCESS, 1, new byte[] {7}));
    for (String name : new String[] {"\\??\\NoSuchDevice", "\\Device\\Echo\\", "\\Device"}) {
      assertThat(remote.openFile(READ_WRITE, ObjectAttributes.of(name), 0, 0))
          .as(name).isEqualTo(local.openFile(READ_WRITE, ObjectAttributes.of(name), 0, 0));
    }
    assertThat(remote.openFile(READ_WRITE, null, 0, 0)).isEqualTo(local.openFile(READ_WRITE, null, 0, 0));
  }

  @Test
  void queryInformationFileAnswersTheSameRemoteAsLocal() {
    int[][] cases = {
        {FileInformationClass.FILE_ACCESS_INFORMATION, 4},
        {FileInformationClass.FILE_ACCESS_INFORMATION, 64},
        {FileInformationClass.FILE_MODE_INFORMATION, 4},
        {FileInformationClass.FILE_ALIGNMENT_INFORMATION, 4},
        {FileInformationClass.FILE_STANDARD_INFORMATION, 24},
        {FileInformationClass.FILE_NAME_INFORMATION, 200},
        {FileInformationClass.FILE_STANDARD_INFORMATION, 23},
        {FileInformationClass.FILE_RENAME_INFORMATION, 64},
        {999, 64},
        {FileInformationClass.FILE_ACCESS_INFORMATION, -1},
    };
    for (int[] c : cases) {
      IoResult r = remote.queryInformationFile(remoteEcho, c[0], c[1]);
      IoResult l = local.queryInformationFile(localEcho, c[0], c[1]);
      assertThat(r.status()).as("class %d length %d", c[0], c[1]).isEqualTo(l.status());
      Parity.assertSameIoResult(r, l);
    }
    IoResult access = remote.queryInformationFile(remoteEcho, FileInformationClass.FILE_ACCESS_INFORMATION, 4);
    assertThat(access.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(access.information()).isEqualTo(4);
    assertThat(remote.queryInformationFile(remoteEcho, 999, 64).status()).isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
    assertThat(remote.queryInformationFile(remoteEcho, FileInformationClass.FILE_STANDARD_INFORMATION, 23).status())
        .isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    Handle bogus = new Handle(0x7FF0);
    Parity.assertSameIoResult(remote.queryInformationFile(bogus, FileInformationClass.FILE_STANDARD_INFORMATION, 24),
        local.queryInformationFile(bogus, FileInformationClass.FILE_STANDARD_INFORMATION, 24));
  }

  @Test
  void setInformationFileAnswersTheSameRemoteAsLocal() {
    Object[][] cases = {
        {FileInformationClass.FILE_POSITION_INFORMATION, new byte[8]},
        {FileInformationClass.FILE_DISPOSITION_INFORMATION, new byte[] {1}},
        {FileInformationClass.FILE_END_OF_FILE_INFORMATION, new byte[8]},
        {FileInformationClass.FILE_POSITION_INFORMATION, new byte[7]},
        {FileInformationClass.FILE_POSITION_INFORMATION, null},
        {FileInformationClass.FILE_ACCESS_INFORMATION, new byte[4]},
        {999, new byte[8]},
    };
    for (Object[] c : cases) {
      int informationClass = (Integer) c[0];
      byte[] data = (byte[]) c[1];
      IoResult r = remote.setInformationFile(remoteEcho, informationClass, data);
      IoResult l = local.setInformationFile(localEcho, informationClass, data);
      assertThat(r.status()).as("class %d", informationClass).isEqualTo(l.status());
      Parity.assertSameIoResult(r, l);
    }
    assertThat(remote.setInformationFile(remoteEcho, FileInformationClass.FILE_POSITION_INFORMATION, null).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(remote.setInformationFile(remoteEcho, FileInformationClass.FILE_POSITION_INFORMATION, new byte[7])
        .status()).isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
  }

  @Test
  void aQueryBufferLongerThanAReplyCanCarryIsInvalidParameter() {
    IoResult refused = remote.queryInformationFile(remoteEcho, FileInformationClass.FILE_STANDARD_INFORMATION,
        Codec.MAX_IO_BYTES + 1);
    assertThat(refused.status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(remote.queryInformationFile(remoteEcho, FileInformationClass.FILE_ACCESS_INFORMATION, 4).status())
        .as("the connection goes on").isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** The buffer a query asks the kernel to allocate is charged to the process's quota first, as a read's is. */
  @Test
  void aQueryBufferBeyondTheProcessQuotaIsRefusedBeforeTheKernelAllocatesIt() throws IOException {
    long quota = 256 << 10;
    try (TestDaemon small = TestDaemon.start(directory.resolve("small"),
            ntio.host.daemon.ClientPolicy.forThisHost(java.util.Set.of()), ntio.host.daemon.ServerLimits.DEFAULTS,
            config -> config.withProcessQuota(config.processPagedQuota(), quota));
        RemoteNt client = small.connect()) {
      small.loadSample(client, "Echo");
      Handle echo = TestDaemon.openEcho(client);
      assertThat(client.queryInformationFile(echo, FileInformationClass.FILE_NAME_INFORMATION, (int) quota).status())
          .isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
      assertThat(client.queryInformationFile(echo, FileInformationClass.FILE_ACCESS_INFORMATION, 4).status())
          .as("the connection goes on").isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }
}
