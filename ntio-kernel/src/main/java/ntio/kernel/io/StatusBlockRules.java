package ntio.kernel.io;

import ntio.ddk.NtStatus;

/**
 * NT's rules for what a read, write or device control gives back to its caller, as Windows has
 * them (Wine's {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c}, {@code test_return_status}, run on
 * Windows, checks every combination). Models {@code IopSynchronousServiceTail} and the user-facing
 * half of {@code IopCompleteRequest}.
 *
 * <ul>
 *   <li>A system service returns what the dispatch routine returned, unless that was {@code
 *       STATUS_PENDING}: a synchronous call then waits and returns the final {@code
 *       IoStatus.Status}; an overlapped call returns {@code STATUS_PENDING}.
 *   <li>The caller's I/O status block is written, its event signalled and its APC queued, unless
 *       the final status is an error ({@code NT_ERROR}) — and for an overlapped call, an error
 *       still gets them when the request was pended ({@code PendingReturned}).
 *   <li>Buffered I/O copies {@code Information} bytes back unless the final status is an error or
 *       {@code STATUS_VERIFY_REQUIRED}; other warnings copy.
 * </ul>
 *
 * <p>The status-block rule is the FILE OBJECT's, not the call's: {@code synchronous} is whether the
 * file was opened for synchronous I/O ({@code FO_SYNCHRONOUS_IO}, from {@code
 * FILE_SYNCHRONOUS_IO_ALERT} / {@code FILE_SYNCHRONOUS_IO_NONALERT}). Wine's {@code
 * test_blocking_irp} shows it: NtQueryVolumeInformationFile waits on either kind of handle, and a
 * failure its driver pended is written to the status block only on the handle opened with
 * {@code FILE_FLAG_OVERLAPPED}.
 */
final class StatusBlockRules {

  private StatusBlockRules() {}

  /**
   * What the system service returns: the dispatch routine's status, or, when that was {@code
   * STATUS_PENDING} and the caller waited (a blocking call, or any call on a file for synchronous
   * I/O), the final status.
   */
  static NtStatus serviceStatus(NtStatus returned, NtStatus finalStatus, boolean synchronous) {
    return synchronous && returned.equals(NtStatus.STATUS_PENDING) ? finalStatus : returned;
  }

  /**
   * Whether {@code IopCompleteRequest} writes the caller's status block (and signals its event,
   * queues its APC or completion packet): not for an error, unless the request was pended on a
   * handle not opened for synchronous I/O.
   */
  static boolean writesStatusBlock(NtStatus finalStatus, boolean pendingReturned,
      boolean synchronous) {
    return !finalStatus.isError() || (pendingReturned && !synchronous);
  }

  /** Whether buffered I/O's system buffer is copied back to the caller for {@code status}. */
  static boolean copiesSystemBuffer(NtStatus status) {
    return !status.isError() && !status.equals(NtStatus.STATUS_VERIFY_REQUIRED);
  }
}
