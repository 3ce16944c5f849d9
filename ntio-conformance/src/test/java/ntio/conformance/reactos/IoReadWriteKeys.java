package ntio.conformance.reactos;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.NtStatus;

/**
 * The lock keys of ReactOS's read/write test: each says which status the driver completes a
 * request with, whether it returns STATUS_PENDING, and which byte it fills a read buffer with or
 * expects in a written one. Port of reactos/reactos
 * {@code modules/rostests/kmtests/ntos_io/IoReadWrite.h} ({@code KEY_*},
 * {@code TestGetReturnStatus}), used by both halves of {@link IoReadWriteTest}.
 *
 * <p>ntio's NtReadFile and NtWriteFile take no {@code Key}: the test carries it in the upper half
 * of the byte offset ({@link #offset}), and the driver splits it off again ({@link #keyOf},
 * {@link #fileOffsetOf}) before doing anything else, so the request the port's driver handles is
 * the one upstream's handles.
 */
final class IoReadWriteKeys {

  static final int TEST_FILE_SIZE = 17;

  static final int KEY_SUCCEED = 0x00;
  static final int KEY_SUCCESS_WAIT1 = 0x01;
  static final int KEY_INFO_EXISTS = 0x41;
  static final int KEY_FAIL_MISALIGNED = 0x81;
  static final int KEY_FAIL_OVERFLOW = 0x82;
  static final int KEY_FAIL_PARTIAL = 0x83;
  static final int KEY_FAIL_BUSY = 0x84;
  static final int KEY_FAIL_VERIFY_REQUIRED = 0x85;
  static final int KEY_FAIL_UNSUCCESSFUL = 0xc1;
  static final int KEY_FAIL_NOT_IMPLEMENTED = 0xc2;
  static final int KEY_FAIL_ACCESS_VIOLATION = 0xc3;
  static final int KEY_FAIL_IN_PAGE_ERROR = 0xc4;
  static final int KEY_FAIL_EOF = 0xc5;
  static final int KEY_FAIL_ACCESS_DENIED = 0xc6;
  static final int KEY_FAIL_MISALIGNED_ERROR = 0xc7;
  static final int KEY_RESULT_MASK = 0xff;

  static final int KEY_USE_FASTIO = 0x100;
  static final int KEY_RETURN_PENDING = 0x200;

  // Statuses NtStatus does not name (their real NT values).
  static final NtStatus STATUS_PARTIAL_COPY = NtStatus.of(0x8000000D);
  static final NtStatus STATUS_VERIFY_REQUIRED = NtStatus.of(0x80000016);
  static final NtStatus STATUS_IN_PAGE_ERROR = NtStatus.of(0xC0000006);
  static final NtStatus STATUS_DATATYPE_MISALIGNMENT_ERROR = NtStatus.of(0xC00002C5);

  private IoReadWriteKeys() {}

  /** {@code KEY_NEXT}: upstream's iteration order; 0xff ends it. */
  static int next(int key) {
    return switch (key) {
      case KEY_FAIL_MISALIGNED_ERROR -> 0xff;
      case KEY_FAIL_VERIFY_REQUIRED -> KEY_FAIL_UNSUCCESSFUL;
      case KEY_INFO_EXISTS -> KEY_FAIL_MISALIGNED;
      case KEY_SUCCESS_WAIT1 -> KEY_INFO_EXISTS;
      default -> key + 1;
    };
  }

  /** Every status key, in the order upstream's loops visit them. */
  static List<Integer> statusKeys() {
    List<Integer> keys = new ArrayList<>();
    for (int key = KEY_SUCCEED; key != 0xff; key = next(key)) {
      keys.add(key);
    }
    return keys;
  }

  /** {@code KEY_ERROR}: an error severity status. */
  static boolean isError(int key) {
    return (key & 0xc0) == 0xc0;
  }

  /** {@code KEY_DATA}. */
  static int data(int c) {
    return (c & 0xff) << 24;
  }

  /** {@code KEY_GET_DATA}. */
  static int dataOf(int key) {
    return key >>> 24;
  }

  /** {@code TestGetReturnStatus}; null for a key upstream does not know. */
  static NtStatus returnStatus(int lockKey) {
    return switch (lockKey & KEY_RESULT_MASK) {
      case KEY_SUCCEED -> NtStatus.STATUS_SUCCESS;
      case KEY_SUCCESS_WAIT1 -> NtStatus.STATUS_WAIT_1;
      case KEY_INFO_EXISTS -> NtStatus.STATUS_OBJECT_NAME_EXISTS;
      case KEY_FAIL_MISALIGNED -> NtStatus.STATUS_DATATYPE_MISALIGNMENT;
      case KEY_FAIL_OVERFLOW -> NtStatus.STATUS_BUFFER_OVERFLOW;
      case KEY_FAIL_PARTIAL -> STATUS_PARTIAL_COPY;
      case KEY_FAIL_BUSY -> NtStatus.STATUS_DEVICE_BUSY;
      case KEY_FAIL_VERIFY_REQUIRED -> STATUS_VERIFY_REQUIRED;
      case KEY_FAIL_UNSUCCESSFUL -> NtStatus.STATUS_UNSUCCESSFUL;
      case KEY_FAIL_NOT_IMPLEMENTED -> NtStatus.STATUS_NOT_IMPLEMENTED;
      case KEY_FAIL_ACCESS_VIOLATION -> NtStatus.STATUS_ACCESS_VIOLATION;
      case KEY_FAIL_IN_PAGE_ERROR -> STATUS_IN_PAGE_ERROR;
      case KEY_FAIL_EOF -> NtStatus.STATUS_END_OF_FILE;
      case KEY_FAIL_ACCESS_DENIED -> NtStatus.STATUS_ACCESS_DENIED;
      case KEY_FAIL_MISALIGNED_ERROR -> STATUS_DATATYPE_MISALIGNMENT_ERROR;
      default -> null;
    };
  }

  /** The byte offset that carries {@code key} with a real offset of {@code fileOffset}. */
  static long offset(int key, int fileOffset) {
    return (Integer.toUnsignedLong(key) << 32) | Integer.toUnsignedLong(fileOffset);
  }

  /** The key carried by a byte offset built by {@link #offset}. */
  static int keyOf(long byteOffset) {
    return (int) (byteOffset >>> 32);
  }

  /** The real file offset carried by a byte offset built by {@link #offset}. */
  static long fileOffsetOf(long byteOffset) {
    return byteOffset & 0xFFFF_FFFFL;
  }
}
