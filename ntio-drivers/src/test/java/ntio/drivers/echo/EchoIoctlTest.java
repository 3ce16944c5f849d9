package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoIoctlTest {

  @Test
  void queryAvailableIsCtlCodeOfUnknownDevice0x800BufferedReadAccess() {
    assertThat(EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE).isEqualTo(0x00226000);
  }
}
