package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample drivers as built ({@code Null.jar}, {@code Echo.jar}, {@code Filter.jar}), loaded by
 * the real loader and used by client processes: what each device does with requests, and Filter
 * stacked on Echo seeing every request first (B37, B31, T16).
 */
@Timeout(30)
class SampleDriversTest {

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)}: Filter's counters. */
  private static final int IOCTL_FILTER_QUERY_COUNTS = 0x00222400;

  /** One little-endian 8-byte counter per major function. */
  private static final int COUNTS_SIZE = (MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1) * Long.BYTES;

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private void loadSample(String name) {
    lab.installSample(name);
    assertThat(lab.load(name)).as("NtLoadDriver(%s)", name).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private KThread user(String name, int uid) {
    return lab.kernel.userSession(name, Sid.unixUser(uid));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  // Null -----------------------------------------------------------------------------------------

  @Test
  void nullReadsEndOfFileAndWritesSucceedWithTheirLength() {
    loadSample("Null");
    IoLab.Open nul = lab.open(user("alice", 2001), "\\Device\\Null", "Null");

    IoResult read = nul.read(16);
    IoResult write = nul.write(bytes("hello"));

    assertThat(read.status()).isEqualTo(NtStatus.STATUS_END_OF_FILE);
    assertThat(read.information()).isZero();
    assertThat(read.data()).isEmpty();
    assertThat(write.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(write.information()).isEqualTo(5);
    nul.close();
  }

  @Test
  void T16_nullAnswersADeviceControlItNeverSetWithInvalidDeviceRequest() {
    loadSample("Null");
    IoLab.Open nul = lab.open("\\Device\\Null", "Null");

    IoResult control = nul.control(0x00222000, new byte[4], 4);

    assertThat(control.status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(control.information()).isZero();
    nul.close();
  }

  // Echo -----------------------------------------------------------------------------------------

  @Test
  void B37_aStandardUserOpensEchoForReadAndWrite() {
    loadSample("Echo");

    var opened = lab.open(user("alice", 2001), "\\Device\\Echo", IoLab.READ_WRITE);

    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void echoReadsBackThroughOneOpenInOrderWhatTwoProcessesWroteThroughOthers() {
    loadSample("Echo");
    IoLab.Open alice = lab.open(user("alice", 2001), "\\Device\\Echo", "Echo");
    IoLab.Open bob = lab.open(user("bob", 2002), "\\??\\Echo", "Echo");
    assertThat(alice.client.process()).isNotSameAs(bob.client.process());

    assertThat(alice.write(bytes("first-")).information()).isEqualTo(6);
    assertThat(bob.write(bytes("second-")).information()).isEqualTo(7);
    assertThat(alice.write(bytes("third")).information()).isEqualTo(5);

    IoResult part = bob.read(4);
    IoResult rest = bob.read(100);
    IoRequest empty = lab.nt.ntReadFileAsync(alice.client, alice.handle, 100, 0, null);

    assertThat(part.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(new String(part.data(), StandardCharsets.US_ASCII)).isEqualTo("firs");
    assertThat(rest.information()).isEqualTo(14);
    assertThat(new String(rest.data(), StandardCharsets.US_ASCII)).isEqualTo("t-second-third");
    assertThat(empty.status()).as("a read of an empty Echo waits for a write").isEqualTo(NtStatus.STATUS_PENDING);
    alice.close();
    assertThat(empty.await(java.time.Duration.ofSeconds(10))).as("closing the open cancels its read").isTrue();
    assertThat(empty.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    bob.close();
  }

  // Filter on Echo --------------------------------------------------------------------------------

  private static long[] counts(IoLab.Open open) {
    IoResult result = open.control(IOCTL_FILTER_QUERY_COUNTS, null, COUNTS_SIZE);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.data()).hasSize(COUNTS_SIZE);
    long[] counts = new long[MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1];
    ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(counts);
    return counts;
  }

  @Test
  void B37_filterOnEchoSeesEveryRequestFirstAndCountsItPerMajorFunction() {
    loadSample("Echo");
    loadSample("Filter");
    IoLab.Open first = lab.open(user("alice", 2001), "\\Device\\Echo", "Echo");

    long[] opened = counts(first);
    // The attach's own open reached Echo before the filter was on top: only this open is counted.
    assertThat(opened[MajorFunctions.IRP_MJ_CREATE]).isEqualTo(1);
    assertThat(opened[MajorFunctions.IRP_MJ_DEVICE_CONTROL]).isEqualTo(1);

    assertThat(first.write(bytes("through")).information()).isEqualTo(7);
    IoResult read = first.read(64);
    long[] used = counts(first);

    assertThat(new String(read.data(), StandardCharsets.US_ASCII)).as("Echo still answers").isEqualTo("through");
    assertThat(used[MajorFunctions.IRP_MJ_WRITE]).isEqualTo(opened[MajorFunctions.IRP_MJ_WRITE] + 1);
    assertThat(used[MajorFunctions.IRP_MJ_READ]).isEqualTo(opened[MajorFunctions.IRP_MJ_READ] + 1);
    assertThat(used[MajorFunctions.IRP_MJ_DEVICE_CONTROL]).isEqualTo(2);
    assertThat(used[MajorFunctions.IRP_MJ_CREATE]).isEqualTo(1);

    first.close();
    IoLab.Open second = lab.open(user("bob", 2002), "\\Device\\Echo", "Echo");
    long[] reopened = counts(second);

    assertThat(reopened[MajorFunctions.IRP_MJ_CREATE]).isEqualTo(2);
    assertThat(reopened[MajorFunctions.IRP_MJ_CLEANUP]).isEqualTo(used[MajorFunctions.IRP_MJ_CLEANUP] + 1);
    assertThat(reopened[MajorFunctions.IRP_MJ_CLOSE]).isEqualTo(used[MajorFunctions.IRP_MJ_CLOSE] + 1);
    assertThat(reopened[MajorFunctions.IRP_MJ_DEVICE_CONTROL]).isEqualTo(3);
    second.close();
  }

  @Test
  void B34_theRelatedDeviceOfAnEchoOpenIsTheFilterOnTopOfTheStack() {
    loadSample("Echo");
    IoLab.Open before = lab.open(user("alice", 2001), "\\Device\\Echo", "Echo");
    loadSample("Filter");
    ntio.kernel.objects.ObjectManager.Referenced<KernelFileObject> file = lab.kernel.objects().referenceByHandle(
        before.handle, 0, lab.kernel.io().fileType(), before.client);
    ntio.kernel.objects.ObjectManager.Referenced<KernelDriverObject> echo =
        lab.kernel.objects().referenceByName("\\Driver\\Echo", lab.kernel.io().driverType());
    try {
      ntio.ddk.DeviceObject related = echo.object().services().getRelatedDeviceObject(file.object());

      // The file was opened on Echo's device before Filter attached; its requests now go through
      // Filter, the top of the stack.
      assertThat(file.object().deviceObject().deviceName()).contains("\\Device\\Echo");
      assertThat(related.driverObject().driverName().text()).isEqualTo("\\Driver\\Filter");
      assertThat(related.attachedDevice()).isNull();
      assertThat(related.deviceObjectExtension().attachedTo()).isSameAs(file.object().deviceObject());
    } finally {
      echo.object().dereference();
      file.object().dereference();
    }
    before.close();
  }

  @Test
  void B31_filterWithoutEchoFailsItsDriverEntryWithTheNameLookupsStatus() {
    lab.installSample("Filter");

    assertThat(lab.load("Filter")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);

    assertThat(lab.driverExists("Filter")).isFalse();
  }

  @Test
  void B32_unloadingEchoUnderFilterWaitsForFilterToDetach() {
    loadSample("Echo");
    loadSample("Filter");

    assertThat(lab.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(lab.deviceExists("\\Device\\Echo")).as("Echo's unload is deferred").isTrue();
    assertThat(lab.driverExists("Echo")).isTrue();

    assertThat(lab.unload("Filter")).isEqualTo(NtStatus.STATUS_SUCCESS);

    lab.awaitUnloaded("Echo");
    assertThat(lab.driverExists("Filter")).isFalse();
    assertThat(lab.deviceExists("\\Device\\Echo")).isFalse();
  }
}
