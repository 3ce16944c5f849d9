package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.api.IoResult;
import ntio.ddk.FsInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KThread;

/**
 * {@code NtQueryVolumeInformationFile}: what a class of volume information says of the device
 * an open is on. Models {@code NtQueryVolumeInformationFile} (partial: the classes of {@link
 * FsInformationClass}; every ntio device is a direct device open, never a mounted file system).
 */
final class VolumeQueries {

  private final IoManager io;
  private final ClientCalls calls;

  VolumeQueries(IoManager io, ClientCalls calls) {
    this.io = io;
    this.calls = calls;
  }

  /**
   * The class must be one that can be queried ({@code STATUS_INVALID_INFO_CLASS}), the length at
   * least its fixed size ({@code STATUS_INFO_LENGTH_MISMATCH}), both checked before the handle;
   * then the handle must be a file granted the class's access ({@link
   * FsInformationClass#queryAccess}: none for most classes). The I/O manager answers {@code
   * FileFsDeviceInformation} itself from the device object; the rest go to the top of the file's
   * device stack as IRP_MJ_QUERY_VOLUME_INFORMATION through the system buffer. The call always
   * waits, on any handle (the service takes no event), and comes back by the rules of every
   * blocking call ({@link ClientCalls#callAndWait}): the dispatch routine's status unless it
   * pended; the status block not written for an error, except one the driver pended on a file not
   * opened for synchronous I/O (Wine's test_blocking_irp); the data copied back only when NT
   * copies it.
   */
  IoResult query(KThread thread, Handle handle, int fsInformationClass, int length) {
    int minimum = FsInformationClass.queryLength(fsInformationClass);
    if (minimum < 0) {
      return IoResult.failed(NtStatus.STATUS_INVALID_INFO_CLASS);
    }
    if (length < minimum) {
      return IoResult.failed(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
    }
    if (fsInformationClass == FsInformationClass.FILE_FS_DEVICE_INFORMATION) {
      return deviceInformation(thread, handle);
    }
    return calls.callAndWait(thread, handle, Transfer.information(
        MajorFunctions.IRP_MJ_QUERY_VOLUME_INFORMATION,
        FsInformationClass.queryAccess(fsInformationClass), null, length, fsInformationClass),
        VolumeQueries::refuseDirectDeviceOpen);
  }

  /**
   * A file object opened directly on its device ({@code FO_DIRECT_DEVICE_OPEN}: no name past the
   * device, no related file, attribute access only) has no volume behind it to ask: Windows
   * refuses every volume query but {@code FileFsDeviceInformation} on it with {@code
   * STATUS_INVALID_DEVICE_REQUEST} without asking the driver. Wine's
   * dlls/ntoskrnl.exe/tests/ntoskrnl.c, test_object_info, run on Windows, queries
   * FileFsVolumeInformation on {@code \\\\.\\WineTestDriver} (refused) and on {@code
   * \\\\.\\WineTestDriver\\subfile} (answered by the same driver).
   */
  private static NtStatus refuseDirectDeviceOpen(KernelFileObject file) {
    return (file.flags() & ntio.ddk.FileObject.FO_DIRECT_DEVICE_OPEN) != 0
        ? NtStatus.STATUS_INVALID_DEVICE_REQUEST : null;
  }

  /**
   * {@code FILE_FS_DEVICE_INFORMATION} of the file's device, as NT's I/O manager gives it for a
   * device that is not a mounted volume: {@code DeviceType}, then {@code Characteristics}.
   */
  private IoResult deviceInformation(KThread thread, Handle handle) {
    Referenced<KernelFileObject> found =
        io.objects.referenceByHandle(handle, 0, io.fileType, thread);
    if (!found.isSuccess()) {
      return IoResult.failed(found.status());
    }
    try {
      KernelDeviceObject device = found.object().device();
      byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(device.deviceType()).putInt(device.characteristics()).array();
      return new IoResult(NtStatus.STATUS_SUCCESS, data.length, data);
    } finally {
      found.object().dereference();
    }
  }
}
