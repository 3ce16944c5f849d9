package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ntio.api.IoResult;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NullDeviceTest {

  @Test
  void aZeroLengthReadOfNullEndsWithEndOfFileAndNoBytes() throws Exception {
    try (NullDevice device = NullDevice.open()) {
      for (int i = 0; i < 3; i++) {
        IoResult read = device.readNothing();

        assertThat(read.status()).isEqualTo(NtStatus.STATUS_END_OF_FILE);
        assertThat(read.information()).isZero();
        assertThat(read.data()).isEmpty();
      }
      assertThat(device.kernel().io().drivers()).anyMatch(d -> d.service().equals("Null"));
    }
  }

  @Test
  void aReadThatFailsOnItsWayThrowsNamingTheStatus() throws Exception {
    NullDevice device = NullDevice.open();
    try {
      device.kernel().shutdown();

      assertThatThrownBy(device::readNothing)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("NtReadFile(\\Device\\Null, 0 bytes) returned " + NtStatus.STATUS_SYSTEM_SHUTDOWN
              + " with 0 bytes, not " + NtStatus.STATUS_END_OF_FILE + " with none");
    } finally {
      // The handle cannot be closed on a kernel that is shut down: close() says so, and still
      // deletes the state directory.
      assertThatThrownBy(device::close).isInstanceOf(IllegalStateException.class);
    }
  }
}
