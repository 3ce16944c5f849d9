package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import ntio.ddk.FsInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code NtQueryVolumeInformationFile} over the socket answers what the same call answers
 * in-process (the same status, {@code Information}, bytes and status block), and its buffer is
 * bounded and charged to the process's quota as {@code NtQueryInformationFile}'s is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtVolumeInformationTest {

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
  void queryVolumeInformationFileAnswersTheSameRemoteAsLocal() {
    int[][] cases = {
        {FsInformationClass.FILE_FS_DEVICE_INFORMATION, 8},
        {FsInformationClass.FILE_FS_DEVICE_INFORMATION, 64},
        {FsInformationClass.FILE_FS_VOLUME_INFORMATION, 64},
        {FsInformationClass.FILE_FS_SIZE_INFORMATION, 24},
        {FsInformationClass.FILE_FS_VOLUME_INFORMATION, 23},
        {FsInformationClass.FILE_FS_LABEL_INFORMATION, 64},
        {0, 64},
        {999, 64},
        {FsInformationClass.FILE_FS_DEVICE_INFORMATION, -1},
    };
    for (int[] c : cases) {
      IoResult r = remote.queryVolumeInformationFile(remoteEcho, c[0], c[1]);
      IoResult l = local.queryVolumeInformationFile(localEcho, c[0], c[1]);
      Parity.assertSameIoResult(r, l, "class " + c[0] + " length " + c[1]);
    }
    IoResult device = remote.queryVolumeInformationFile(remoteEcho,
        FsInformationClass.FILE_FS_DEVICE_INFORMATION, 8);
    assertThat(device.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(device.information()).isEqualTo(8);
    assertThat(device.data()).hasSize(8);
    assertThat(remote.queryVolumeInformationFile(remoteEcho, 999, 64).status())
        .isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
    assertThat(remote.queryVolumeInformationFile(remoteEcho,
        FsInformationClass.FILE_FS_VOLUME_INFORMATION, 23).status())
        .isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    Handle bogus = new Handle(0x7FF0);
    IoResult invalid = remote.queryVolumeInformationFile(bogus,
        FsInformationClass.FILE_FS_VOLUME_INFORMATION, 64);
    Parity.assertSameIoResult(invalid, local.queryVolumeInformationFile(bogus,
        FsInformationClass.FILE_FS_VOLUME_INFORMATION, 64), "a handle that names nothing");
    assertThat(invalid.status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(invalid.ioStatusWritten()).isFalse();
  }

  @Test
  void aVolumeQueryBufferLongerThanAReplyCanCarryIsInvalidParameter() {
    IoResult refused = remote.queryVolumeInformationFile(remoteEcho,
        FsInformationClass.FILE_FS_VOLUME_INFORMATION, Codec.MAX_IO_BYTES + 1);
    assertThat(refused.status()).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(remote.queryVolumeInformationFile(remoteEcho,
        FsInformationClass.FILE_FS_DEVICE_INFORMATION, 8).status())
        .as("the connection goes on").isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** The buffer a volume query asks the kernel to allocate is charged to the quota first. */
  @Test
  void aVolumeQueryBufferBeyondTheProcessQuotaIsRefusedBeforeTheKernelAllocatesIt()
      throws IOException {
    long quota = 256 << 10;
    try (TestDaemon small = TestDaemon.start(directory.resolve("small"),
            ntio.host.daemon.ClientPolicy.forThisHost(java.util.Set.of()),
            ntio.host.daemon.ServerLimits.DEFAULTS,
            config -> config.withProcessQuota(config.processPagedQuota(), quota));
        RemoteNt client = small.connect()) {
      small.loadSample(client, "Echo");
      Handle echo = TestDaemon.openEcho(client);
      assertThat(client.queryVolumeInformationFile(echo,
          FsInformationClass.FILE_FS_VOLUME_INFORMATION, (int) quota).status())
          .isEqualTo(NtStatus.STATUS_QUOTA_EXCEEDED);
      assertThat(client.queryVolumeInformationFile(echo,
          FsInformationClass.FILE_FS_DEVICE_INFORMATION, 8).status())
          .as("the connection goes on").isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }
}
