package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import ntio.ddk.DeviceFlags;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

/**
 * What {@code IopCompleteRequest}'s copy of a buffered read's system buffer does to the final
 * status. ReactOS {@code modules/rostests/kmtests/ntos_io/IoReadWrite_user.c}, {@code TestRead},
 * run on Windows: a read of length 0 on a buffered device that its driver completes with {@code
 * STATUS_BUFFER_OVERFLOW} and {@code Information} 17 ends as {@code STATUS_ACCESS_VIOLATION} with
 * the caller's status block unwritten — NtReadFile allocated no system buffer, and the copy of 17
 * bytes from it faults.
 */
class BufferedCopyBackTest {

  private static Transfer.Buffers bufferedRead(int length) {
    return Transfer.of(MajorFunctions.IRP_MJ_READ, 0, null, length, 0)
        .buffers(DeviceFlags.DO_BUFFERED_IO);
  }

  @Test
  void copyingBackFromTheMissingSystemBufferOfAZeroLengthReadIsAnAccessViolation() {
    Transfer.Buffers buffers = bufferedRead(0);

    assertThat(buffers.finalStatus(NtStatus.STATUS_BUFFER_OVERFLOW, 17))
        .isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(buffers.finalStatus(NtStatus.STATUS_SUCCESS, 1))
        .isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
    assertThat(buffers.returned(NtStatus.STATUS_SUCCESS, 1)).isEmpty();
  }

  @Test
  void aZeroLengthReadWithNothingToCopyOrAStatusThatCopiesNothingKeepsItsStatus() {
    Transfer.Buffers buffers = bufferedRead(0);

    assertThat(buffers.finalStatus(NtStatus.STATUS_SUCCESS, 0)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(buffers.finalStatus(NtStatus.STATUS_UNSUCCESSFUL, 17))
        .as("an error copies nothing").isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
    assertThat(buffers.finalStatus(NtStatus.STATUS_VERIFY_REQUIRED, 17))
        .as("nor does STATUS_VERIFY_REQUIRED").isEqualTo(NtStatus.STATUS_VERIFY_REQUIRED);
  }

  @Test
  void aReadWithASystemBufferKeepsItsStatus() {
    Transfer.Buffers buffers = bufferedRead(4);

    assertThat(buffers.finalStatus(NtStatus.STATUS_BUFFER_OVERFLOW, 17))
        .isEqualTo(NtStatus.STATUS_BUFFER_OVERFLOW);
    assertThat(buffers.returned(NtStatus.STATUS_BUFFER_OVERFLOW, 17)).hasSize(4);
  }
}
