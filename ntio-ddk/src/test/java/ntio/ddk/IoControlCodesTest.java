package ntio.ddk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoControlCodesTest {

  @Test
  void ctlCodeReproducesWellKnownNtControlCodes() {
    // IOCTL_DISK_GET_DRIVE_GEOMETRY, FSCTL_SET_REPARSE_POINT, FSCTL_GET_REPARSE_POINT,
    // IOCTL_STORAGE_CHECK_VERIFY.
    assertThat(IoControlCodes.ctlCode(0x07, 0x000, 0, 0)).isEqualTo(0x00070000);
    assertThat(IoControlCodes.ctlCode(0x09, 41, 0, 0)).isEqualTo(0x000900A4);
    assertThat(IoControlCodes.ctlCode(0x09, 42, 0, 0)).isEqualTo(0x000900A8);
    assertThat(IoControlCodes.ctlCode(0x2D, 0x200, IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_READ_ACCESS))
        .isEqualTo(0x002D4800);
  }

  @Test
  void eachFieldHasItsOwnBitsAndReadsBack() {
    assertThat(IoControlCodes.ctlCode(0xFFFF, 0, 0, 0)).isEqualTo(0xFFFF0000);
    assertThat(IoControlCodes.ctlCode(0, 0, 0, 3)).isEqualTo(0x0000C000);
    assertThat(IoControlCodes.ctlCode(0, 0xFFF, 0, 0)).isEqualTo(0x00003FFC);
    assertThat(IoControlCodes.ctlCode(0, 0, 3, 0)).isEqualTo(0x00000003);
    int code = IoControlCodes.ctlCode(0x22, 0x800, IoControlCodes.METHOD_OUT_DIRECT, IoControlCodes.FILE_WRITE_ACCESS);
    assertThat(IoControlCodes.deviceType(code)).isEqualTo(0x22);
    assertThat(IoControlCodes.function(code)).isEqualTo(0x800);
    assertThat(IoControlCodes.method(code)).isEqualTo(IoControlCodes.METHOD_OUT_DIRECT);
    assertThat(IoControlCodes.requiredAccess(code)).isEqualTo(IoControlCodes.FILE_WRITE_ACCESS);
  }
}
