package ntio.ddk;

import static ntio.ddk.ShareAccess.FILE_SHARE_DELETE;
import static ntio.ddk.ShareAccess.FILE_SHARE_READ;
import static ntio.ddk.ShareAccess.FILE_SHARE_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IoCheckShareAccess's rule, as NT states it, case by case. */
class ShareAccessTest {

  private final ShareAccess share = new ShareAccess();

  @Test
  void theFirstOpenIsAlwaysAllowedAndCounted() {
    assertThat(share.check(true, true, false, 0, true)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(share.openCount()).isEqualTo(1);
    assertThat(share.readers()).isEqualTo(1);
    assertThat(share.writers()).isEqualTo(1);
    assertThat(share.sharedRead()).isZero();
  }

  @Test
  void aReaderIsRefusedWhenAnExistingOpenDoesNotShareRead() {
    share.check(false, true, false, FILE_SHARE_WRITE, true);

    assertThat(share.check(true, false, false, FILE_SHARE_READ | FILE_SHARE_WRITE, true))
        .isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);
    assertThat(share.openCount()).as("a refused open is not counted").isEqualTo(1);
  }

  @Test
  void anOpenIsRefusedWhenItWillNotShareWhatAnExistingOpenDoes() {
    share.check(true, false, false, FILE_SHARE_READ | FILE_SHARE_WRITE, true);

    assertThat(share.check(false, true, false, FILE_SHARE_WRITE, true))
        .as("there is a reader and the new open does not share read")
        .isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);
    assertThat(share.check(false, true, false, FILE_SHARE_READ, true))
        .as("the new writer shares read, and the reader shares write")
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void deleteAccessNeedsEveryOpenToShareDelete() {
    share.check(true, false, false, FILE_SHARE_READ, true);

    assertThat(share.check(false, false, true, FILE_SHARE_READ, true))
        .isEqualTo(NtStatus.STATUS_SHARING_VIOLATION);
    share.remove(true, false, false, FILE_SHARE_READ);
    share.check(true, false, false, FILE_SHARE_READ | FILE_SHARE_DELETE, true);
    assertThat(share.check(false, false, true, FILE_SHARE_READ, true))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void anOpenWithoutReadWriteOrDeleteAccessNeverConflictsAndIsNotCounted() {
    share.check(true, true, true, 0, true);

    assertThat(share.check(false, false, false, 0, true)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(share.openCount()).isEqualTo(1);
  }

  @Test
  void aCheckWithoutUpdateCountsNothing() {
    assertThat(share.check(true, false, false, 0, false)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(share.openCount()).isZero();
  }

  @Test
  void removingAnOpenGivesBackExactlyItsPart() {
    share.check(true, false, false, FILE_SHARE_READ, true);
    share.check(true, false, false, FILE_SHARE_READ | FILE_SHARE_WRITE, true);

    share.remove(true, false, false, FILE_SHARE_READ);

    assertThat(share.openCount()).isEqualTo(1);
    assertThat(share.readers()).isEqualTo(1);
    assertThat(share.sharedRead()).isEqualTo(1);
    assertThat(share.sharedWrite()).isEqualTo(1);
    assertThat(share.check(false, true, false, FILE_SHARE_READ, true))
        .as("the reader left shares write").isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
