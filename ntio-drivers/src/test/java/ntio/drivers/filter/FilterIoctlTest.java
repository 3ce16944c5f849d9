package ntio.drivers.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilterIoctlTest {

  @Test
  void queryCountsIsCtlCodeOfUnknownDevice0x900BufferedAnyAccess() {
    assertThat(FilterIoctl.IOCTL_FILTER_QUERY_COUNTS).isEqualTo(0x00222400);
  }

  @Test
  void theAnswerHoldsOneEightByteCounterPerMajorFunction() {
    assertThat(FilterIoctl.COUNTER_COUNT).isEqualTo(28);
    assertThat(FilterIoctl.COUNTS_SIZE).isEqualTo(224);
  }

  @Test
  void ctlCodeReproducesWellKnownNtControlCodes() {
    // IOCTL_DISK_GET_DRIVE_GEOMETRY, FSCTL_SET_REPARSE_POINT, IOCTL_STORAGE_CHECK_VERIFY.
    assertThat(FilterIoctl.ctlCode(0x07, 0x000, 0, 0)).isEqualTo(0x00070000);
    assertThat(FilterIoctl.ctlCode(0x09, 41, 0, 0)).isEqualTo(0x000900A4);
    assertThat(FilterIoctl.ctlCode(0x2D, 0x200, 0, 1)).isEqualTo(0x002D4800);
  }
}
