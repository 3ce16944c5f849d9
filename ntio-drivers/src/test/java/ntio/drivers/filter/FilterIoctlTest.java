package ntio.drivers.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilterIoctlTest {

  @Test
  void queryCountsIsCtlCodeOfUnknownDevice0x900BufferedAnyAccess() {
    assertThat(FilterIoctl.IOCTL_FILTER_QUERY_COUNTS).isEqualTo(0x00222400);
  }

  @Test
  void queryBytesIsCtlCodeOfUnknownDevice0x901BufferedAnyAccess() {
    assertThat(FilterIoctl.IOCTL_FILTER_QUERY_BYTES).isEqualTo(0x00222404);
  }

  @Test
  void theBytesAnswerHoldsTwoEightByteCounters() {
    assertThat(FilterIoctl.BYTES_SIZE).isEqualTo(16);
  }

  @Test
  void theAnswerHoldsOneEightByteCounterPerMajorFunction() {
    assertThat(FilterIoctl.COUNTER_COUNT).isEqualTo(28);
    assertThat(FilterIoctl.COUNTS_SIZE).isEqualTo(224);
  }
}
