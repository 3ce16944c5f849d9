package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.IoResult;
import ntio.ddk.NtStatus;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does with the real Echo.jar and Filter.jar through the public API: two client
 * processes open {@code \??\Echo}, a read on one pends until the other writes, a pending read is
 * cancelled, and Filter stacked on Echo counts the requests and the bytes.
 */
@Timeout(60)
class EchoPendingStoryTest {

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x901, METHOD_BUFFERED, FILE_ANY_ACCESS)}. */
  private static final int IOCTL_FILTER_QUERY_BYTES = 0x00222404;

  private static final Duration SHORT = Duration.ofSeconds(10);

  @TempDir Path state;

  private IoLab lab;
  private KThread alice;
  private KThread bob;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    alice = lab.kernel.userSession("alice", Sid.unixUser(2001));
    bob = lab.kernel.userSession("bob", Sid.unixUser(2002));
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private void loadSample(String name) {
    lab.installSample(name);
    assertThat(lab.load(name)).as("NtLoadDriver(%s)", name).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aReadThatPendsOnOneProcessCompletesWhenAnotherProcessWrites() {
    loadSample("Echo");
    IoLab.Open reader = lab.open(alice, "\\??\\Echo", "Echo");
    IoLab.Open writer = lab.open(bob, "\\??\\Echo", "Echo");
    List<IoRequest> apcs = new CopyOnWriteArrayList<>();

    IoRequest read = lab.nt.ntReadFileAsync(alice, reader.handle, 16, 0, apcs::add);
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_PENDING);
    IoResult wrote = writer.write(bytes("hello"));

    assertThat(wrote.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(read.await(SHORT)).isTrue();
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(new String(read.data(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    IoLab.await("the read's APC", () -> apcs.size() == 1);
    reader.close();
    writer.close();
  }

  @Test
  void aPendingReadIsCancelledWithStatusCancelledAndEchoStillServesTheNextOne() {
    loadSample("Echo");
    IoLab.Open reader = lab.open(alice, "\\??\\Echo", "Echo");
    IoRequest read = lab.nt.ntReadFileAsync(alice, reader.handle, 16, 0, null);

    assertThat(lab.nt.ntCancelIoFile(alice, reader.handle)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(read.information()).isZero();
    reader.write(bytes("again"));
    assertThat(new String(reader.read(16).data(), StandardCharsets.US_ASCII)).isEqualTo("again");
    reader.close();
  }

  @Test
  void filterStackedOnEchoCountsTheBytesOfAReadThatPended() {
    loadSample("Echo");
    loadSample("Filter");
    IoLab.Open reader = lab.open(alice, "\\??\\Echo", "Echo");
    IoLab.Open writer = lab.open(bob, "\\Device\\Echo", "Echo");

    IoRequest read = lab.nt.ntReadFileAsync(alice, reader.handle, 16, 0, null);
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_PENDING);
    writer.write(bytes("seven!!"));
    assertThat(read.await(SHORT)).isTrue();

    IoResult counted = writer.control(IOCTL_FILTER_QUERY_BYTES, null, 16);
    assertThat(counted.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    ByteBuffer answer = ByteBuffer.wrap(counted.data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(answer.getLong(0)).as("bytes read through Filter").isEqualTo(7);
    assertThat(answer.getLong(8)).as("bytes written through Filter").isEqualTo(7);
    reader.close();
    writer.close();
  }

  @Test
  void unloadingEchoWhileAReadPendsWaitsUntilTheReadIsCancelledByTheClose() {
    loadSample("Echo");
    IoLab.Open reader = lab.open(alice, "\\??\\Echo", "Echo");
    IoRequest read = lab.nt.ntReadFileAsync(alice, reader.handle, 16, 0, null);

    assertThat(lab.unload("Echo")).as("deferred").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.driverExists("Echo")).isTrue();
    reader.close();

    assertThat(read.await(SHORT)).isTrue();
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    lab.awaitUnloaded("Echo");
  }
}
