package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoIoctlTest {

  @Test
  void queryAvailableIsCtlCodeOfUnknownDevice0x800BufferedReadAccess() {
    assertThat(EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE).isEqualTo(0x00226000);
  }

  @Test
  void ctlCodeReproducesWellKnownNtControlCodes() {
    // IOCTL_DISK_GET_DRIVE_GEOMETRY, FSCTL_GET_REPARSE_POINT, IOCTL_STORAGE_CHECK_VERIFY.
    assertThat(EchoIoctl.ctlCode(0x07, 0x000, 0, 0)).isEqualTo(0x00070000);
    assertThat(EchoIoctl.ctlCode(0x09, 42, 0, 0)).isEqualTo(0x000900A8);
    assertThat(EchoIoctl.ctlCode(0x2D, 0x200, 0, EchoIoctl.FILE_READ_ACCESS))
        .isEqualTo(0x002D4800);
  }

  @Test
  void ctlCodePlacesEachFieldInItsOwnBits() {
    assertThat(EchoIoctl.ctlCode(0xFFFF, 0, 0, 0)).isEqualTo(0xFFFF0000);
    assertThat(EchoIoctl.ctlCode(0, 0, 0, 3)).isEqualTo(0x0000C000);
    assertThat(EchoIoctl.ctlCode(0, 0xFFF, 0, 0)).isEqualTo(0x00003FFC);
    assertThat(EchoIoctl.ctlCode(0, 0, 3, 0)).isEqualTo(0x00000003);
  }
}
