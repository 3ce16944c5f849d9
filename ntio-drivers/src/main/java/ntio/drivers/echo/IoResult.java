package ntio.drivers.echo;

import ntio.ddk.NtStatus;

/** How a request completes: the {@code IoStatus} a dispatch routine sets before completing it. */
record IoResult(NtStatus status, long information) {

  static IoResult success(long information) {
    return new IoResult(NtStatus.STATUS_SUCCESS, information);
  }

  static IoResult failure(NtStatus status) {
    return new IoResult(status, 0);
  }
}
