package ntio.kernel.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import ntio.api.IoResult;
import ntio.ddk.FileInformationClass;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.QueryNameProcedure;

/**
 * The File type's query-name procedure: what NtQueryObject(ObjectNameInformation) says of a file.
 * Models {@code IopQueryName} / {@code IopQueryNameInternal} (partial: no DOS names, no caller
 * buffer).
 *
 * <p>The name is the device's name followed by the name the driver gives for the open: the I/O
 * manager sends IRP_MJ_QUERY_INFORMATION with FileNameInformation to the top of the file's stack
 * and takes the driver's answer, failures included. A driver that does not implement the class
 * (STATUS_INVALID_PARAMETER, STATUS_INVALID_DEVICE_REQUEST, STATUS_NOT_IMPLEMENTED or
 * STATUS_INVALID_INFO_CLASS) leaves the device's name alone; any other error is the query's
 * status; a name that does not start with {@code \} is STATUS_OBJECT_PATH_INVALID.
 */
final class FileNames {

  /** The refusals that mean "this stack does not do FileNameInformation", not a failure. */
  private static final Set<NtStatus> NOT_IMPLEMENTED = Set.of(NtStatus.STATUS_INVALID_PARAMETER,
      NtStatus.STATUS_INVALID_DEVICE_REQUEST, NtStatus.STATUS_NOT_IMPLEMENTED,
      NtStatus.STATUS_INVALID_INFO_CLASS);

  /** {@code FIELD_OFFSET(FILE_NAME_INFORMATION, FileName)}: the ULONG FileNameLength before it. */
  private static final int NAME_OFFSET = Integer.BYTES;

  /** Room for the longest name a UNICODE_STRING holds, after FileNameLength. */
  private static final int QUERY_LENGTH = NAME_OFFSET + UnicodeString.MAX_NAME_LENGTH;

  private final IoManager io;

  FileNames(IoManager io) {
    this.io = io;
  }

  /** The name of {@code file} as ObjectNameInformation gives it; calls the driver, no lock held. */
  QueryNameProcedure.Result queryName(KernelFileObject file) {
    String deviceName = file.device().fullName().orElse("");
    IoResult answer = io.requests.queryInformation(file,
        FileInformationClass.FILE_NAME_INFORMATION, QUERY_LENGTH);
    if (answer.status().isError()) {
      return NOT_IMPLEMENTED.contains(answer.status())
          ? QueryNameProcedure.Result.named(deviceName)
          : QueryNameProcedure.Result.failure(answer.status());
    }
    String fileName = fileNameOf(answer.data());
    if (fileName.isEmpty()) {
      return QueryNameProcedure.Result.named(deviceName);
    }
    if (fileName.charAt(0) != '\\') {
      return QueryNameProcedure.Result.failure(NtStatus.STATUS_OBJECT_PATH_INVALID);
    }
    return QueryNameProcedure.Result.named(deviceName + fileName);
  }

  /** FILE_NAME_INFORMATION's name, as far as the bytes the driver returned hold it. */
  private static String fileNameOf(byte[] data) {
    if (data.length < NAME_OFFSET) {
      return "";
    }
    long declared = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xFFFFFFFFL;
    int length = (int) Math.min(declared, data.length - NAME_OFFSET) & ~1;
    return new String(data, NAME_OFFSET, length, StandardCharsets.UTF_16LE);
  }
}
