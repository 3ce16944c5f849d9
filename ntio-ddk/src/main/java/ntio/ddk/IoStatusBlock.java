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

  /**
   * {@code Information} when a request answers with a pointer rather than a number: the {@link
   * DeviceRelations} of {@code IRP_MN_QUERY_DEVICE_RELATIONS}, the identifier string of {@code
   * IRP_MN_QUERY_ID}. Null until a driver sets it.
   */
  Object informationPointer();

  /** Sets the pointer {@code Information} carries; see {@link #informationPointer()}. */
  void setInformationPointer(Object pointer);
}
