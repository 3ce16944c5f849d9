package ntio.conformance.wine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.conformance.Kernel32;
import ntio.ddk.AccessMask;
import ntio.ddk.FsInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import org.assertj.core.api.SoftAssertions;

/**
 * The user half of the volume checks of ntoskrnl.c (wine-mirror/wine, dlls/ntoskrnl.exe/tests):
 * test_object_info's NtQueryVolumeInformationFile calls and test_blocking_irp. The driver's side is
 * {@link WineVolumeInformation}.
 */
final class VolumeInformationPort {

  private VolumeInformationPort() {}

  /**
   * ntoskrnl.c, test_object_info, its volume checks: refused on the device itself
   * (STATUS_INVALID_DEVICE_REQUEST); on {@code \subfile}, the driver's answer with the status
   * block written; FileFsAttributeInformation's STATUS_NOT_IMPLEMENTED leaves the block untouched.
   */
  static void objectInfoVolumeChecks(NtApi nt, Handle device) {
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(nt.queryVolumeInformationFile(device, FsInformationClass.FILE_FS_VOLUME_INFORMATION, 200).status())
        .as("FileFsVolumeInformation of the device").isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
    OpenResult file = Kernel32.createFile(nt, 0, WineIoctls.WIN32_NAME + "\\subfile", 0);
    assertThat(file.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    IoResult volume = nt.queryVolumeInformationFile(file.handle(), FsInformationClass.FILE_FS_VOLUME_INFORMATION, 200);
    softly.assertThat(volume.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(volume.ioStatusWritten()).isTrue();
    softly.assertThat(volume.ioStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    ByteBuffer info = ByteBuffer.wrap(volume.data()).order(ByteOrder.LITTLE_ENDIAN);
    int labelLength = volume.data().length >= 16 ? info.getInt(12) : -1;
    softly.assertThat(volume.information()).as("information").isEqualTo(WineVolumeInformation.LABEL_OFFSET + labelLength);
    softly.assertThat(volume.data().length >= 12 ? info.getInt(8) : 0).as("serial").isEqualTo(WineVolumeInformation.SERIAL);
    softly.assertThat(labelLength >= 0 && volume.data().length >= WineVolumeInformation.LABEL_OFFSET + labelLength
            ? new String(volume.data(), WineVolumeInformation.LABEL_OFFSET, labelLength, StandardCharsets.UTF_16LE) : null)
        .as("label").isEqualTo(WineVolumeInformation.LABEL);
    IoResult attributes = nt.queryVolumeInformationFile(file.handle(), FsInformationClass.FILE_FS_ATTRIBUTE_INFORMATION, 200);
    softly.assertThat(attributes.status()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    softly.assertThat(attributes.ioStatusWritten()).as("block untouched").isFalse();
    nt.close(file.handle());
    softly.assertAll();
  }

  /**
   * ntoskrnl.c, test_blocking_irp: the driver pends FileFsSizeInformation and
   * FileFsFullSizeInformation and completes them 100 ms later from a work item, with success and
   * STATUS_DEVICE_NOT_READY. NtQueryVolumeInformationFile waits for both, on either kind of handle.
   * On a handle for synchronous I/O (CreateFile without FILE_FLAG_OVERLAPPED) the success writes
   * the status block (0, 0) and the failure leaves it untouched; on a handle opened with
   * FILE_FLAG_OVERLAPPED the failure is written to the block too (STATUS_DEVICE_NOT_READY, 0).
   */
  static void blockingIrp(NtApi nt) {
    SoftAssertions softly = new SoftAssertions();
    OpenResult file = Kernel32.createFile(nt, AccessMask.FILE_ALL_ACCESS, WineIoctls.WIN32_NAME + "\\", 0);
    assertThat(file.status()).as("open \\\\.\\WineTestDriver\\").isEqualTo(NtStatus.STATUS_SUCCESS);
    IoResult size = nt.queryVolumeInformationFile(file.handle(), FsInformationClass.FILE_FS_SIZE_INFORMATION, 40);
    softly.assertThat(size.status()).as("synchronous handle: FileFsSizeInformation").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(size.ioStatusWritten()).as("synchronous handle: success writes the block").isTrue();
    softly.assertThat(size.ioStatus()).as("iosb status").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(size.information()).as("information").isZero();
    IoResult full = nt.queryVolumeInformationFile(file.handle(), FsInformationClass.FILE_FS_FULL_SIZE_INFORMATION, 40);
    softly.assertThat(full.status()).as("synchronous handle: FileFsFullSizeInformation")
        .isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    softly.assertThat(full.ioStatusWritten()).as("synchronous handle: failure leaves the block untouched").isFalse();
    nt.close(file.handle());

    OpenResult overlapped = Kernel32.createFile(nt, AccessMask.FILE_ALL_ACCESS, WineIoctls.WIN32_NAME + "\\", 0,
        Kernel32.FILE_FLAG_OVERLAPPED);
    assertThat(overlapped.status()).as("open \\\\.\\WineTestDriver\\ overlapped").isEqualTo(NtStatus.STATUS_SUCCESS);
    IoResult size2 = nt.queryVolumeInformationFile(overlapped.handle(), FsInformationClass.FILE_FS_SIZE_INFORMATION, 40);
    softly.assertThat(size2.status()).as("overlapped handle: FileFsSizeInformation").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(size2.ioStatusWritten()).as("overlapped handle: success writes the block").isTrue();
    softly.assertThat(size2.ioStatus()).as("iosb status").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(size2.information()).as("information").isZero();
    IoResult full2 = nt.queryVolumeInformationFile(overlapped.handle(), FsInformationClass.FILE_FS_FULL_SIZE_INFORMATION, 40);
    softly.assertThat(full2.status()).as("overlapped handle: FileFsFullSizeInformation")
        .isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    softly.assertThat(full2.ioStatusWritten()).as("overlapped handle: failure writes the block").isTrue();
    softly.assertThat(full2.ioStatus()).as("iosb status").isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    softly.assertThat(full2.information()).as("information").isZero();
    nt.close(overlapped.handle());
    softly.assertAll();
  }
}
