package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BugCheckTest {

  private static BugCheck bugCheck(int code, long p1, long p2, long p3, long p4) {
    return new BugCheck(code, p1, p2, p3, p4, "Leaky.jar", "m", "", Instant.EPOCH, 1);
  }

  @Test
  void describePrintsCodeNameAndParametersAsTheBlueScreenDoes() {
    BugCheck bugCheck =
        bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, 0xFFFFA00000000010L, 0, 0);

    assertThat(bugCheck.describe())
        .isEqualTo(
            "0x000000C4 (DRIVER_VERIFIER_DETECTED_VIOLATION) (0x62, 0xFFFFA00000000010, 0x0, 0x0)");
  }

  @Test
  void describeLeavesTheNameOutForAnUnknownCode() {
    assertThat(bugCheck(0x1234, 1, 2, 3, -1).describe())
        .isEqualTo("0x00001234 (0x1, 0x2, 0x3, 0xFFFFFFFFFFFFFFFF)");
  }

  @Test
  void namedCodesHaveTheirNtValues() {
    assertThat(BugCheck.KMODE_EXCEPTION_NOT_HANDLED).isEqualTo(0x1E);
    assertThat(BugCheck.PAGE_FAULT_IN_NONPAGED_AREA).isEqualTo(0x50);
    assertThat(BugCheck.IRQL_NOT_LESS_OR_EQUAL).isEqualTo(0x0A);
    assertThat(BugCheck.BAD_POOL_HEADER).isEqualTo(0x19);
    assertThat(BugCheck.BAD_POOL_CALLER).isEqualTo(0xC2);
    assertThat(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION).isEqualTo(0xC4);
    assertThat(BugCheck.DRIVER_CORRUPTED_EXPOOL).isEqualTo(0xC5);
    assertThat(BugCheck.TIMER_OR_DPC_INVALID).isEqualTo(0xC7);
    assertThat(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION).isEqualTo(0xC9);
    assertThat(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS).isEqualTo(0xCE);
    assertThat(BugCheck.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL).isEqualTo(0xD5);
    assertThat(BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL).isEqualTo(0xE1);
    assertThat(BugCheck.MANUALLY_INITIATED_CRASH).isEqualTo(0xE2);
    assertThat(BugCheck.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED).isEqualTo(0x7E);
    assertThat(BugCheck.WDF_VIOLATION).isEqualTo(0x10D);
  }

  @Test
  void namesAndCodesLookEachOtherUp() {
    assertThat(BugCheck.nameOf(0xCE))
        .contains("DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS");
    assertThat(BugCheck.nameOf(0x4242)).isEmpty();
    assertThat(BugCheck.codeOf("WDF_VIOLATION")).contains(0x10D);
    assertThat(BugCheck.codeOf("NOT_A_BUG_CHECK")).isEmpty();
  }

  @Test
  void javaExceptionsMapToNtExceptionCodes() {
    assertThat(BugCheck.exceptionCodeOf(new NullPointerException())).isEqualTo(0xC0000005L);
    assertThat(BugCheck.exceptionCodeOf(new ArrayIndexOutOfBoundsException()))
        .isEqualTo(0xC0000005L);
    assertThat(BugCheck.exceptionCodeOf(new ArithmeticException())).isEqualTo(0xC0000094L);
    assertThat(BugCheck.exceptionCodeOf(new StackOverflowError())).isEqualTo(0xC00000FDL);
    assertThat(BugCheck.exceptionCodeOf(new OutOfMemoryError())).isEqualTo(0xC0000017L);
    assertThat(BugCheck.exceptionCodeOf(new IllegalStateException())).isEqualTo(0xE06D7363L);
  }

  @Test
  void aSequenceBelowOneIsAnNtioBug() {
    assertThatThrownBy(() -> new BugCheck(0xE2, 0, 0, 0, 0, null, "m", "", Instant.EPOCH, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
