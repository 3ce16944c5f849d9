package ntio.ddk;

/**
 * I/O control codes: the {@code CTL_CODE} layout and its parts (full). A code is
 * {@code (deviceType << 16) | (requiredAccess << 14) | (function << 2) | method}; the I/O manager
 * checks {@code requiredAccess} against the caller's handle and buffers the request by
 * {@code method}.
 */
public final class IoControlCodes {

  private IoControlCodes() {}

  /** {@code METHOD_BUFFERED}: input and output go through the system buffer. */
  public static final int METHOD_BUFFERED = 0;
  /** {@code METHOD_IN_DIRECT}. */
  public static final int METHOD_IN_DIRECT = 1;
  /** {@code METHOD_OUT_DIRECT}. */
  public static final int METHOD_OUT_DIRECT = 2;
  /** {@code METHOD_NEITHER}. */
  public static final int METHOD_NEITHER = 3;

  /** {@code FILE_ANY_ACCESS}: any handle may send it. */
  public static final int FILE_ANY_ACCESS = 0;
  /** {@code FILE_READ_ACCESS}: the handle needs {@code FILE_READ_DATA}. */
  public static final int FILE_READ_ACCESS = 1;
  /** {@code FILE_WRITE_ACCESS}: the handle needs {@code FILE_WRITE_DATA}. */
  public static final int FILE_WRITE_ACCESS = 2;

  /** {@code IO_NO_INCREMENT}: the priority boost of a request completed at once. */
  public static final int IO_NO_INCREMENT = 0;

  /** {@code CTL_CODE(DeviceType, Function, Method, Access)}. */
  public static int ctlCode(int deviceType, int function, int method, int access) {
    return (deviceType << 16) | (access << 14) | (function << 2) | method;
  }

  /** The device type of a code. */
  public static int deviceType(int code) {
    return code >>> 16;
  }

  /** The function of a code. */
  public static int function(int code) {
    return (code >>> 2) & 0xFFF;
  }

  /** The method of a code ({@code METHOD_*}). */
  public static int method(int code) {
    return code & 3;
  }

  /** The access a code requires ({@code FILE_*_ACCESS}). */
  public static int requiredAccess(int code) {
    return (code >>> 14) & 3;
  }
}
