package ntio.api;

import ntio.ddk.NtStatus;

/**
 * A device an {@link NtSystem} opened: its handle and the synchronous I/O calls on it. Closing it
 * closes the handle (the last close of a device whose driver's unload was deferred lets the
 * unload complete).
 */
public interface NtDevice extends AutoCloseable {

  /** The status of the open: a success, or why the device did not open. */
  NtStatus status();

  /** {@code NtDeviceIoControlFile}: the control code, its input and the output buffer's length. */
  IoResult call(int ioControlCode, byte[] input, int outputLength);

  /** {@code NtReadFile} of at most {@code length} bytes at {@code byteOffset}. */
  IoResult read(int length, long byteOffset);

  /** {@code NtWriteFile} of {@code data} at {@code byteOffset}. */
  IoResult write(byte[] data, long byteOffset);

  /** {@code NtClose} of the handle; nothing for a device that did not open. Idempotent. */
  @Override
  void close();
}
