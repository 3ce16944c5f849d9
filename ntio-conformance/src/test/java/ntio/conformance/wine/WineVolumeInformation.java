package ntio.conformance.wine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.ddk.FsInformationClass;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;

/**
 * driver.c, driver_QueryVolumeInformation (wine-mirror/wine, dlls/ntoskrnl.exe/tests): the kernel
 * half of the volume checks of test_object_info and test_blocking_irp, whose user half is in
 * {@link VolumeInformationPort}. Part of the driver image, so it imports nothing but the DDK.
 */
final class WineVolumeInformation {

  /** {@code offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel)}. */
  static final int LABEL_OFFSET = 18;
  /** {@code sizeof(FILE_FS_VOLUME_INFORMATION)}, padded to its 8-byte alignment. */
  static final int VOLUME_INFORMATION_SIZE = 24;
  static final String LABEL = "WineTestDriver";
  static final int SERIAL = 0xdeadbeef;

  private WineVolumeInformation() {}

  /** driver.c, driver_QueryVolumeInformation. */
  static NtStatus query(WineTestDriver d, Irp irp, IoStackLocation stack) {
    int length = stack.length();
    NtStatus status;
    switch (stack.fsInformationClass()) {
      case FsInformationClass.FILE_FS_VOLUME_INFORMATION -> {
        if (length < VOLUME_INFORMATION_SIZE) {
          status = NtStatus.STATUS_INFO_LENGTH_MISMATCH;
          break;
        }
        byte[] label = LABEL.getBytes(StandardCharsets.UTF_16LE);
        int labelLength = Math.min(label.length, length - LABEL_OFFSET);
        ByteBuffer info = ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
        info.putLong(0, 0L).putInt(8, SERIAL).putInt(12, labelLength).put(16, (byte) 1);
        info.put(LABEL_OFFSET, label, 0, labelLength);
        irp.ioStatus().setInformation(LABEL_OFFSET + labelLength);
        status = NtStatus.STATUS_SUCCESS;
      }
      case FsInformationClass.FILE_FS_SIZE_INFORMATION, FsInformationClass.FILE_FS_FULL_SIZE_INFORMATION -> {
        // blocking_irp_task / blocking_irp_failure_task: complete from a work item after 100 ms.
        NtStatus finalStatus = stack.fsInformationClass() == FsInformationClass.FILE_FS_SIZE_INFORMATION
            ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_DEVICE_NOT_READY;
        irp.markPending();
        d.services.queueWorkItem(d.lowerDevice, () -> {
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          irp.ioStatus().setStatus(finalStatus);
          irp.ioStatus().setInformation(0);
          d.services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
        });
        return NtStatus.STATUS_PENDING;
      }
      default -> status = NtStatus.STATUS_NOT_IMPLEMENTED;
    }
    return d.complete(irp, status);
  }
}
