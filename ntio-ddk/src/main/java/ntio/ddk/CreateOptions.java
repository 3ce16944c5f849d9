package ntio.ddk;

/**
 * The {@code FILE_*} create options of {@code NtCreateFile} / {@code NtOpenFile} that ntio gives a
 * meaning to (partial: NT defines more, which ntio passes to the driver in the create request
 * without acting on them).
 */
public final class CreateOptions {

  private CreateOptions() {}

  /**
   * {@code FILE_SYNCHRONOUS_IO_ALERT}: the file object is for synchronous I/O ({@code
   * FO_SYNCHRONOUS_IO | FO_ALERTABLE_IO}); the I/O manager waits, alertably, for every request.
   */
  public static final int FILE_SYNCHRONOUS_IO_ALERT = 0x00000010;

  /**
   * {@code FILE_SYNCHRONOUS_IO_NONALERT}: the file object is for synchronous I/O ({@code
   * FO_SYNCHRONOUS_IO}); the I/O manager waits for every request. What kernel32's {@code
   * CreateFile} asks for unless the caller passed {@code FILE_FLAG_OVERLAPPED}.
   */
  public static final int FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;
}
