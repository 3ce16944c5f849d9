package ntio.ddk;

/**
 * The outcome of a request. Models {@code IO_STATUS_BLOCK} (full): a status and an
 * operation-specific number, such as the bytes transferred.
 */
public interface IoStatusBlock {

  /** {@code Status}. */
  NtStatus status();

  /** Sets {@code Status}. */
  void setStatus(NtStatus status);

  /** {@code Information}. */
  long information();

  /** Sets {@code Information}. */
  void setInformation(long information);
}
