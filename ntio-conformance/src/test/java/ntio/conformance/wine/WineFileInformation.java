package ntio.conformance.wine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.ddk.FileInformationClass;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;

/**
 * driver.c, driver_QueryInformation (wine-mirror/wine, dlls/ntoskrnl.exe/tests): answers
 * FileNameInformation with the name the open saw, except for the names that ask for a failure
 * ({@code \notimpl}, the empty name, {@code \badparam}, {@code \genfail}, {@code \badtype}); every
 * other class is STATUS_NOT_IMPLEMENTED.
 */
final class WineFileInformation {

  /** {@code FIELD_OFFSET(FILE_NAME_INFORMATION, FileName)}: the ULONG FileNameLength. */
  static final int NAME_OFFSET = 4;

  private WineFileInformation() {}

  static NtStatus query(WineTestDriver driver, Irp irp, IoStackLocation stack) {
    NtStatus status;
    if (stack.fileInformationClass() != FileInformationClass.FILE_NAME_INFORMATION) {
      status = NtStatus.STATUS_NOT_IMPLEMENTED;
    } else if (stack.length() < NAME_OFFSET + 2) {
      status = NtStatus.STATUS_INFO_LENGTH_MISMATCH;
    } else {
      String name = stack.fileObject().fsContext() instanceof WineTestDriver.FileContext c ? c.name() : "";
      switch (name) {
        case "\\notimpl" -> status = NtStatus.STATUS_NOT_IMPLEMENTED;
        case "" -> status = NtStatus.STATUS_INVALID_DEVICE_REQUEST;
        case "\\badparam" -> status = NtStatus.STATUS_INVALID_PARAMETER;
        case "\\genfail" -> status = NtStatus.STATUS_UNSUCCESSFUL;
        case "\\badtype" -> status = NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
        default -> status = fillName(irp, stack, name);
      }
    }
    return driver.complete(irp, status);
  }

  private static NtStatus fillName(Irp irp, IoStackLocation stack, String name) {
    byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
    int room = stack.length() - NAME_OFFSET;
    int copied = Math.min(room, utf16.length);
    ByteBuffer buffer = ByteBuffer.wrap(irp.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(0, utf16.length);
    buffer.put(NAME_OFFSET, utf16, 0, copied);
    irp.ioStatus().setInformation(NAME_OFFSET + copied);
    return copied < utf16.length ? NtStatus.STATUS_BUFFER_OVERFLOW : NtStatus.STATUS_SUCCESS;
  }
}
