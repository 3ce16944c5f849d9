package ntio.drivers.echo;

import static org.assertj.core.api.Assertions.assertThat;

import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

class EchoDispatchTest {

  private final EchoFifo fifo = new EchoFifo(8);

  @Test
  void aWriteSucceedsWithItsLengthAndAReadReturnsTheBytes() {
    IoResult written = EchoDispatch.write(fifo, new byte[] {10, 20, 30}, 3);
    byte[] systemBuffer = new byte[5];
    IoResult read = EchoDispatch.read(fifo, systemBuffer, 5);

    assertThat(written).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 3));
    assertThat(read).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 3));
    assertThat(systemBuffer).startsWith(10, 20, 30);
  }

  @Test
  void aReadOfAnEmptyDeviceSucceedsWithZeroBytes() {
    IoResult read = EchoDispatch.read(fifo, new byte[4], 4);

    assertThat(read).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 0));
  }

  @Test
  void aWriteBeyondTheCapacityFailsWithInsufficientResourcesAndAppendsNothing() {
    EchoDispatch.write(fifo, new byte[6], 6);

    IoResult written = EchoDispatch.write(fifo, new byte[3], 3);

    assertThat(written).isEqualTo(new IoResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, 0));
    assertThat(fifo.available()).isEqualTo(6);
  }

  @Test
  void queryAvailableAnswersTheCountAsFourLittleEndianBytes() {
    EchoDispatch.write(fifo, new byte[] {1, 2, 3, 4, 5}, 5);
    byte[] systemBuffer = {-1, -1, -1, -1, -1, -1};

    IoResult answer =
        EchoDispatch.deviceControl(fifo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, 6, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_SUCCESS, 4));
    assertThat(systemBuffer).containsExactly(5, 0, 0, 0, -1, -1);
  }

  @Test
  void queryAvailableWithAnOutputBufferBelowFourBytesIsBufferTooSmall() {
    byte[] systemBuffer = {-1, -1, -1, -1};

    IoResult answer =
        EchoDispatch.deviceControl(fifo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, 3, systemBuffer);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_BUFFER_TOO_SMALL, 0));
    assertThat(systemBuffer).containsExactly(-1, -1, -1, -1);
  }

  @Test
  void anyOtherControlCodeIsAnInvalidDeviceRequest() {
    IoResult answer =
        EchoDispatch.deviceControl(
            fifo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE + 4, 4, new byte[4]);

    assertThat(answer).isEqualTo(new IoResult(NtStatus.STATUS_INVALID_DEVICE_REQUEST, 0));
  }
}
