package ntio.conformance.wine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.conformance.Kernel32;
import ntio.ddk.FileInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import org.assertj.core.api.SoftAssertions;

/**
 * Port of ntoskrnl.c's test_object_info (wine-mirror/wine, dlls/ntoskrnl.exe/tests), kept out of
 * {@link NtoskrnlTest} for length; its volume checks are in {@link VolumeInformationPort}.
 */
final class ObjectInfoPort {

  /** ntoskrnl.c's {@code char buffer[200]}. */
  private static final int BUFFER = 200;

  private ObjectInfoPort() {}

  /**
   * ntoskrnl.c, test_object_info: NtQueryObject's name of a device file is the device's name plus
   * the file's name, and the driver's own answer to FileNameInformation decides (its failures
   * included); the type is "File". ntio's NtQueryObject takes no buffer, so the buffer-size checks
   * (STATUS_BUFFER_OVERFLOW with a short buffer) are not ported.
   */
  static void run(NtApi nt, Handle device) {
    SoftAssertions softly = new SoftAssertions();
    nameAndType(softly, nt, device, "the device", NtStatus.STATUS_SUCCESS, WineIoctls.DEVICE_NAME);
    softly.assertThat(nt.queryInformationFile(device, FileInformationClass.FILE_NAME_INFORMATION, BUFFER).status())
        .as("FileNameInformation of the device").isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);

    OpenResult subfile = Kernel32.createFile(nt, 0, WineIoctls.WIN32_NAME + "\\subfile", 0);
    softly.assertThat(subfile.status()).as("open \\subfile").isEqualTo(NtStatus.STATUS_SUCCESS);
    if (subfile.status().isSuccess()) {
      nameAndType(softly, nt, subfile.handle(), "\\subfile", NtStatus.STATUS_SUCCESS,
          WineIoctls.DEVICE_NAME + "\\subfile");
      IoResult name = nt.queryInformationFile(subfile.handle(), FileInformationClass.FILE_NAME_INFORMATION, BUFFER);
      softly.assertThat(name.status()).as("FileNameInformation of \\subfile").isEqualTo(NtStatus.STATUS_SUCCESS);
      softly.assertThat(fileName(name.data())).as("FileName").isEqualTo("\\subfile");
      nt.close(subfile.handle());
    }

    failing(softly, nt, "\\notimpl", NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NOT_IMPLEMENTED);
    failing(softly, nt, "\\badparam", NtStatus.STATUS_SUCCESS, NtStatus.STATUS_INVALID_PARAMETER);
    failing(softly, nt, "\\genfail", NtStatus.STATUS_UNSUCCESSFUL, NtStatus.STATUS_UNSUCCESSFUL);
    failing(softly, nt, "\\badtype", NtStatus.STATUS_OBJECT_TYPE_MISMATCH, NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
    softly.assertAll();
  }

  /**
   * A file whose FileNameInformation fails: NtQueryObject falls back to the device's name when the
   * driver said not implemented or invalid parameter, and fails with the driver's status otherwise.
   */
  private static void failing(SoftAssertions softly, NtApi nt, String fileName, NtStatus queryObject,
      NtStatus nameInformation) {
    OpenResult file = Kernel32.createFile(nt, 0, WineIoctls.WIN32_NAME + fileName, 0);
    softly.assertThat(file.status()).as("open %s", fileName).isEqualTo(NtStatus.STATUS_SUCCESS);
    if (!file.status().isSuccess()) {
      return;
    }
    ObjectQuery info = nt.queryObject(file.handle());
    softly.assertThat(info.nameStatus()).as("NtQueryObject(%s, ObjectNameInformation)", fileName).isEqualTo(queryObject);
    if (queryObject.isSuccess() && info.isSuccess()) {
      softly.assertThat(info.info().name()).as("name of %s", fileName).isEqualTo(WineIoctls.DEVICE_NAME);
    }
    softly.assertThat(nt.queryInformationFile(file.handle(), FileInformationClass.FILE_NAME_INFORMATION, BUFFER).status())
        .as("FileNameInformation of %s", fileName).isEqualTo(nameInformation);
    nt.close(file.handle());
  }

  private static void nameAndType(SoftAssertions softly, NtApi nt, Handle handle, String what,
      NtStatus status, String name) {
    ObjectQuery info = nt.queryObject(handle);
    softly.assertThat(info.nameStatus()).as("NtQueryObject(%s, ObjectNameInformation)", what).isEqualTo(status);
    softly.assertThat(info.status()).as("NtQueryObject(%s, ObjectTypeInformation)", what)
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    if (info.isSuccess()) {
      softly.assertThat(info.info().name()).as("ObjectNameInformation of %s", what).isEqualTo(name);
      softly.assertThat(info.info().typeName()).as("ObjectTypeInformation of %s", what).isEqualTo("File");
    }
  }

  /** FILE_NAME_INFORMATION: a ULONG length in bytes, then the UTF-16 name. */
  private static String fileName(byte[] data) {
    if (data.length < 4) {
      return "<" + data.length + " bytes>";
    }
    int length = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    int available = Math.min(length, data.length - 4);
    return new String(data, 4, Math.max(0, available), StandardCharsets.UTF_16LE);
  }
}
