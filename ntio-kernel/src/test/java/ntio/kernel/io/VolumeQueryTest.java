package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.DeviceTypes;
import ntio.ddk.FsInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.io.volumetests.VolumeDriver;
import ntio.kernel.process.KThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code NtQueryVolumeInformationFile} end to end: the checks made before any driver sees it, the
 * class the I/O manager answers itself, and what a driver's answer gives the caller, by the rules
 * every synchronous call follows ({@link StatusBlockRules}). The driver is shaped after Wine's
 * {@code dlls/ntoskrnl.exe/tests/driver.c}; the expectations are those of Wine's {@code
 * ntoskrnl.c}, run on Windows.
 */
@Timeout(60)
class VolumeQueryTest {

  private static final int BUFFER = 256;

  @TempDir Path state;

  private IoLab lab;
  private KThread client;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    client = lab.userClient();
    lab.loadImage("VolumeLab", VolumeDriver.class);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  /**
   * Opens a file on the device, {@code \\volume} past its name as Wine's tests open {@code
   * \\subfile}: the device's name alone with attribute access only is a direct device open, which
   * has no volume to query ({@link #aDirectDeviceOpenIsRefusedEveryVolumeQueryButDeviceInformation}).
   */
  private Handle open(int access) {
    OpenResult opened = lab.nt.ntCreateFile(client, access,
        ObjectAttributes.of(VolumeDriver.DEVICE + "\\volume"), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  private IoResult query(Handle file, int fsInformationClass, int length) {
    return lab.nt.ntQueryVolumeInformationFile(client, file, fsInformationClass, length);
  }

  /**
   * Wine {@code ntoskrnl.c}, {@code test_object_info}: {@code FileFsVolumeInformation} answered by
   * the driver gives {@code status == 0}, {@code io.Status == 0}, {@code io.Information ==
   * offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel) + VolumeLabelLength}, and the driver's
   * serial number and label in the caller's buffer.
   */
  @Test
  void volumeInformationAnsweredByTheDriverGivesItsStatusInformationAndData() {
    Handle file = open(AccessMask.FILE_READ_ATTRIBUTES);

    IoResult result = query(file, FsInformationClass.FILE_FS_VOLUME_INFORMATION, BUFFER);

    byte[] label = VolumeDriver.LABEL.getBytes(StandardCharsets.UTF_16LE);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.ioStatusWritten()).isTrue();
    assertThat(result.ioStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.information()).isEqualTo(VolumeDriver.LABEL_OFFSET + label.length);
    assertThat(result.data()).hasSize(VolumeDriver.LABEL_OFFSET + label.length);
    ByteBuffer data = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getInt(8)).isEqualTo(VolumeDriver.SERIAL);
    assertThat(data.getInt(12)).isEqualTo(label.length);
    assertThat(Arrays.copyOfRange(result.data(), VolumeDriver.LABEL_OFFSET, result.data().length))
        .isEqualTo(label);
  }

  /**
   * Wine {@code ntoskrnl.c}, {@code test_object_info}, run on Windows: {@code
   * NtQueryVolumeInformationFile(FileFsVolumeInformation)} on {@code \\\\.\\WineTestDriver} (the
   * device's name alone, opened for attributes: a direct device open) is {@code
   * STATUS_INVALID_DEVICE_REQUEST}, though the same driver answers it on {@code \\subfile}. The
   * I/O manager refuses it without asking the driver (which would have answered success);
   * {@code FileFsDeviceInformation}, the I/O manager's own answer, is still given.
   */
  @Test
  void aDirectDeviceOpenIsRefusedEveryVolumeQueryButDeviceInformation() {
    OpenResult opened = lab.nt.ntCreateFile(client, AccessMask.FILE_READ_ATTRIBUTES,
        ObjectAttributes.of(VolumeDriver.DEVICE), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    IoResult volume = query(opened.handle(), FsInformationClass.FILE_FS_VOLUME_INFORMATION, BUFFER);
    IoResult device = query(opened.handle(), FsInformationClass.FILE_FS_DEVICE_INFORMATION, BUFFER);

    assertThat(volume.status()).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    assertThat(volume.ioStatusWritten()).isFalse();
    assertThat(device.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** The driver sees the caller's length as {@code Parameters.QueryVolume.Length}: its system buffer. */
  @Test
  void theDriverSeesTheCallersLengthAndFillsNoMoreThanIt() {
    Handle file = open(AccessMask.FILE_READ_ATTRIBUTES);

    IoResult result = query(file, FsInformationClass.FILE_FS_VOLUME_INFORMATION, 24);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.information()).isEqualTo(24);
    assertThat(ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(12))
        .as("the label the driver could fit in 24 bytes").isEqualTo(6);
  }

  /**
   * Wine {@code test_object_info}: {@code FileFsAttributeInformation}, which the driver completes
   * at once with {@code STATUS_NOT_IMPLEMENTED}, returns that status and leaves {@code io.Status}
   * and {@code io.Information} as they were ({@code 0xdeadf00d}).
   */
  @Test
  void syncErrorCompletedAtOnceReturnsTheDriverStatusAndLeavesTheStatusBlockUnwritten() {
    Handle file = open(AccessMask.FILE_READ_ATTRIBUTES);

    IoResult result = query(file, FsInformationClass.FILE_FS_ATTRIBUTE_INFORMATION,
        BUFFER);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(result.ioStatusWritten()).isFalse();
    assertThat(result.information()).isZero();
    assertThat(result.data()).isEmpty();
  }

  /**
   * Wine {@code test_blocking_irp}, synchronous handle: {@code FileFsSizeInformation}, pended and
   * completed from another thread with success and {@code Information} 0, returns 0 and writes
   * {@code io.Status == 0}, {@code io.Information == 0}.
   */
  @Test
  void pendedSuccessReturnsTheFinalStatusAndWritesTheStatusBlock() {
    Handle file = open(IoLab.READ_WRITE);

    IoResult result = query(file, FsInformationClass.FILE_FS_SIZE_INFORMATION, 40);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.ioStatusWritten()).isTrue();
    assertThat(result.ioStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.information()).isZero();
  }

  /**
   * Wine {@code test_blocking_irp}, synchronous handle: {@code FileFsFullSizeInformation}, pended
   * and completed with {@code STATUS_DEVICE_NOT_READY}, returns that status and leaves the status
   * block untouched ({@code 0xdeadf00d}).
   */
  @Test
  void pendedErrorReturnsTheFinalStatusAndLeavesTheStatusBlockUnwritten() {
    OpenResult opened = lab.nt.ntCreateFile(client, IoLab.READ_WRITE | AccessMask.SYNCHRONIZE,
        ObjectAttributes.of(VolumeDriver.DEVICE), 0, CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    Handle file = opened.handle();

    IoResult result = query(file, FsInformationClass.FILE_FS_FULL_SIZE_INFORMATION, 40);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(result.ioStatusWritten()).isFalse();
    assertThat(result.information()).isZero();
  }

  /**
   * Wine {@code test_blocking_irp}, the handle opened with {@code FILE_FLAG_OVERLAPPED}: the query
   * still waits, returns {@code STATUS_DEVICE_NOT_READY}, and writes it to the status block
   * (Information 0), since the file object is not for synchronous I/O.
   */
  @Test
  void pendedErrorOnAHandleNotForSynchronousIoIsWrittenToTheStatusBlock() {
    Handle file = open(IoLab.READ_WRITE);

    IoResult result = query(file, FsInformationClass.FILE_FS_FULL_SIZE_INFORMATION, 40);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(result.ioStatusWritten()).isTrue();
    assertThat(result.ioStatus()).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(result.information()).isZero();
  }

  /**
   * {@code FileFsDeviceInformation} is answered by the I/O manager from the device object, never
   * by the driver (which would refuse the class): {@code DeviceType}, then {@code
   * Characteristics}.
   */
  @Test
  void deviceInformationIsAnsweredByTheIoManagerFromTheDeviceObject() {
    Handle file = open(AccessMask.FILE_READ_ATTRIBUTES);

    IoResult result = query(file, FsInformationClass.FILE_FS_DEVICE_INFORMATION, 8);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.information()).isEqualTo(8);
    ByteBuffer data = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(data.getInt(0)).isEqualTo(DeviceTypes.FILE_DEVICE_UNKNOWN);
    assertThat(data.getInt(4)).isZero();
  }

  /**
   * A class that cannot be queried ({@code FileFsLabelInformation} is set only; 0 and 99 are no
   * class) is {@code STATUS_INVALID_INFO_CLASS}, a buffer shorter than the class's fixed part
   * {@code STATUS_INFO_LENGTH_MISMATCH}: both checked before the handle, as NT does.
   */
  @Test
  void aBadClassOrLengthIsRefusedBeforeTheHandleIsLookedAt() {
    Handle bogus = new Handle(0x7ff0);

    assertThat(query(bogus, FsInformationClass.FILE_FS_LABEL_INFORMATION, BUFFER).status())
        .isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
    assertThat(query(bogus, 0, BUFFER).status()).isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
    assertThat(query(bogus, 99, BUFFER).status()).isEqualTo(NtStatus.STATUS_INVALID_INFO_CLASS);
    assertThat(query(bogus, FsInformationClass.FILE_FS_VOLUME_INFORMATION, 23).status())
        .isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    assertThat(query(bogus, FsInformationClass.FILE_FS_VOLUME_INFORMATION, -1).status())
        .isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    IoResult invalid = query(bogus, FsInformationClass.FILE_FS_VOLUME_INFORMATION, BUFFER);
    assertThat(invalid.status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(invalid.ioStatusWritten()).isFalse();
  }

  /**
   * Most classes need no access of the handle (Wine's {@code test_object_info} queries a file
   * opened with access 0); the control and object-id classes need {@code FILE_READ_DATA}.
   */
  @Test
  void mostClassesNeedNoAccessButControlInformationNeedsReadData() {
    Handle none = open(AccessMask.FILE_READ_ATTRIBUTES);
    Handle reader = open(AccessMask.FILE_READ_DATA);

    assertThat(query(none, FsInformationClass.FILE_FS_CONTROL_INFORMATION, 48).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(query(none, FsInformationClass.FILE_FS_OBJECT_ID_INFORMATION, 64).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(query(none, FsInformationClass.FILE_FS_VOLUME_INFORMATION, BUFFER).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(query(reader, FsInformationClass.FILE_FS_CONTROL_INFORMATION, 48).status())
        .as("reaches the driver, which does not implement it")
        .isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
  }
}
