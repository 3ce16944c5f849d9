package ntio.ddk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An NTSTATUS value: the 32-bit code every NT call returns.
 *
 * <p>Models {@code NTSTATUS} and the {@code NT_SUCCESS}, {@code NT_INFORMATION}, {@code NT_WARNING}
 * and {@code NT_ERROR} macros (full). The top two bits are the severity: {@code 00} success,
 * {@code 01} informational, {@code 10} warning, {@code 11} error. {@link #isSuccess()} is
 * {@code NT_SUCCESS}: success and informational codes succeed; warnings and errors fail.
 *
 * <p>Instances are immutable values compared by code. Every code ntio uses has a named constant;
 * {@link #of(int)} returns that constant, or an unnamed value for a code ntio does not know.
 * {@link #toString()} prints {@code STATUS_NAME (0xC0000061)}.
 */
public final class NtStatus {

  private static final Map<Integer, NtStatus> BY_CODE = new LinkedHashMap<>();
  private static final Map<String, NtStatus> BY_NAME = new LinkedHashMap<>();

  // Success (severity 00).
  public static final NtStatus STATUS_SUCCESS = define("STATUS_SUCCESS", 0x00000000);
  public static final NtStatus STATUS_WAIT_1 = define("STATUS_WAIT_1", 0x00000001);
  public static final NtStatus STATUS_ABANDONED = define("STATUS_ABANDONED", 0x00000080);
  public static final NtStatus STATUS_USER_APC = define("STATUS_USER_APC", 0x000000C0);
  public static final NtStatus STATUS_ALERTED = define("STATUS_ALERTED", 0x00000101);
  public static final NtStatus STATUS_TIMEOUT = define("STATUS_TIMEOUT", 0x00000102);
  public static final NtStatus STATUS_PENDING = define("STATUS_PENDING", 0x00000103);
  public static final NtStatus STATUS_REPARSE = define("STATUS_REPARSE", 0x00000104);
  public static final NtStatus STATUS_MORE_ENTRIES = define("STATUS_MORE_ENTRIES", 0x00000105);
  public static final NtStatus STATUS_NOT_ALL_ASSIGNED =
      define("STATUS_NOT_ALL_ASSIGNED", 0x00000106);
  public static final NtStatus STATUS_SOME_NOT_MAPPED = define("STATUS_SOME_NOT_MAPPED", 0x00000107);

  // Informational (severity 01).
  public static final NtStatus STATUS_OBJECT_NAME_EXISTS =
      define("STATUS_OBJECT_NAME_EXISTS", 0x40000000);
  public static final NtStatus STATUS_IMAGE_NOT_AT_BASE =
      define("STATUS_IMAGE_NOT_AT_BASE", 0x40000003);

  // Warning (severity 10).
  public static final NtStatus STATUS_DATATYPE_MISALIGNMENT =
      define("STATUS_DATATYPE_MISALIGNMENT", 0x80000002);
  public static final NtStatus STATUS_BUFFER_OVERFLOW = define("STATUS_BUFFER_OVERFLOW", 0x80000005);
  public static final NtStatus STATUS_NO_MORE_FILES = define("STATUS_NO_MORE_FILES", 0x80000006);
  public static final NtStatus STATUS_DEVICE_BUSY = define("STATUS_DEVICE_BUSY", 0x80000011);
  public static final NtStatus STATUS_VERIFY_REQUIRED =
      define("STATUS_VERIFY_REQUIRED", 0x80000016);
  public static final NtStatus STATUS_NO_MORE_ENTRIES = define("STATUS_NO_MORE_ENTRIES", 0x8000001A);
  /** A driver or an open handle vetoed a PnP query-remove (the veto type says which). */
  public static final NtStatus STATUS_PLUGPLAY_QUERY_VETOED =
      define("STATUS_PLUGPLAY_QUERY_VETOED", 0x80000028);

  // Error (severity 11).
  public static final NtStatus STATUS_UNSUCCESSFUL = define("STATUS_UNSUCCESSFUL", 0xC0000001);
  public static final NtStatus STATUS_NOT_IMPLEMENTED = define("STATUS_NOT_IMPLEMENTED", 0xC0000002);
  public static final NtStatus STATUS_INVALID_INFO_CLASS =
      define("STATUS_INVALID_INFO_CLASS", 0xC0000003);
  public static final NtStatus STATUS_INFO_LENGTH_MISMATCH =
      define("STATUS_INFO_LENGTH_MISMATCH", 0xC0000004);
  public static final NtStatus STATUS_ACCESS_VIOLATION =
      define("STATUS_ACCESS_VIOLATION", 0xC0000005);
  public static final NtStatus STATUS_INVALID_HANDLE = define("STATUS_INVALID_HANDLE", 0xC0000008);
  public static final NtStatus STATUS_INVALID_CID = define("STATUS_INVALID_CID", 0xC000000B);
  public static final NtStatus STATUS_INVALID_PARAMETER =
      define("STATUS_INVALID_PARAMETER", 0xC000000D);
  public static final NtStatus STATUS_NO_SUCH_DEVICE = define("STATUS_NO_SUCH_DEVICE", 0xC000000E);
  public static final NtStatus STATUS_NO_SUCH_FILE = define("STATUS_NO_SUCH_FILE", 0xC000000F);
  public static final NtStatus STATUS_INVALID_DEVICE_REQUEST =
      define("STATUS_INVALID_DEVICE_REQUEST", 0xC0000010);
  public static final NtStatus STATUS_END_OF_FILE = define("STATUS_END_OF_FILE", 0xC0000011);
  public static final NtStatus STATUS_MORE_PROCESSING_REQUIRED =
      define("STATUS_MORE_PROCESSING_REQUIRED", 0xC0000016);
  public static final NtStatus STATUS_NO_MEMORY = define("STATUS_NO_MEMORY", 0xC0000017);
  public static final NtStatus STATUS_INVALID_SYSTEM_SERVICE =
      define("STATUS_INVALID_SYSTEM_SERVICE", 0xC000001C);
  public static final NtStatus STATUS_ACCESS_DENIED = define("STATUS_ACCESS_DENIED", 0xC0000022);
  public static final NtStatus STATUS_BUFFER_TOO_SMALL =
      define("STATUS_BUFFER_TOO_SMALL", 0xC0000023);
  public static final NtStatus STATUS_OBJECT_TYPE_MISMATCH =
      define("STATUS_OBJECT_TYPE_MISMATCH", 0xC0000024);
  public static final NtStatus STATUS_INVALID_PARAMETER_MIX =
      define("STATUS_INVALID_PARAMETER_MIX", 0xC0000030);
  public static final NtStatus STATUS_OBJECT_NAME_INVALID =
      define("STATUS_OBJECT_NAME_INVALID", 0xC0000033);
  public static final NtStatus STATUS_OBJECT_NAME_NOT_FOUND =
      define("STATUS_OBJECT_NAME_NOT_FOUND", 0xC0000034);
  public static final NtStatus STATUS_OBJECT_NAME_COLLISION =
      define("STATUS_OBJECT_NAME_COLLISION", 0xC0000035);
  public static final NtStatus STATUS_DEVICE_ALREADY_ATTACHED =
      define("STATUS_DEVICE_ALREADY_ATTACHED", 0xC0000038);
  public static final NtStatus STATUS_OBJECT_PATH_INVALID =
      define("STATUS_OBJECT_PATH_INVALID", 0xC0000039);
  public static final NtStatus STATUS_OBJECT_PATH_NOT_FOUND =
      define("STATUS_OBJECT_PATH_NOT_FOUND", 0xC000003A);
  public static final NtStatus STATUS_OBJECT_PATH_SYNTAX_BAD =
      define("STATUS_OBJECT_PATH_SYNTAX_BAD", 0xC000003B);
  public static final NtStatus STATUS_SHARING_VIOLATION =
      define("STATUS_SHARING_VIOLATION", 0xC0000043);
  public static final NtStatus STATUS_QUOTA_EXCEEDED = define("STATUS_QUOTA_EXCEEDED", 0xC0000044);
  public static final NtStatus STATUS_THREAD_IS_TERMINATING =
      define("STATUS_THREAD_IS_TERMINATING", 0xC000004B);
  public static final NtStatus STATUS_DELETE_PENDING = define("STATUS_DELETE_PENDING", 0xC0000056);
  public static final NtStatus STATUS_REVISION_MISMATCH =
      define("STATUS_REVISION_MISMATCH", 0xC0000059);
  public static final NtStatus STATUS_INVALID_OWNER = define("STATUS_INVALID_OWNER", 0xC000005A);
  public static final NtStatus STATUS_NO_SUCH_PRIVILEGE =
      define("STATUS_NO_SUCH_PRIVILEGE", 0xC0000060);
  public static final NtStatus STATUS_PRIVILEGE_NOT_HELD =
      define("STATUS_PRIVILEGE_NOT_HELD", 0xC0000061);
  public static final NtStatus STATUS_INVALID_ACL = define("STATUS_INVALID_ACL", 0xC0000077);
  public static final NtStatus STATUS_INVALID_SID = define("STATUS_INVALID_SID", 0xC0000078);
  public static final NtStatus STATUS_INVALID_SECURITY_DESCR =
      define("STATUS_INVALID_SECURITY_DESCR", 0xC0000079);
  public static final NtStatus STATUS_PROCEDURE_NOT_FOUND =
      define("STATUS_PROCEDURE_NOT_FOUND", 0xC000007A);
  public static final NtStatus STATUS_INVALID_IMAGE_FORMAT =
      define("STATUS_INVALID_IMAGE_FORMAT", 0xC000007B);
  public static final NtStatus STATUS_NO_TOKEN = define("STATUS_NO_TOKEN", 0xC000007C);
  public static final NtStatus STATUS_DISK_FULL = define("STATUS_DISK_FULL", 0xC000007F);
  public static final NtStatus STATUS_INTEGER_OVERFLOW = define("STATUS_INTEGER_OVERFLOW", 0xC0000095);
  public static final NtStatus STATUS_INSUFFICIENT_RESOURCES =
      define("STATUS_INSUFFICIENT_RESOURCES", 0xC000009A);
  public static final NtStatus STATUS_DEVICE_NOT_READY =
      define("STATUS_DEVICE_NOT_READY", 0xC00000A3);
  public static final NtStatus STATUS_IO_TIMEOUT = define("STATUS_IO_TIMEOUT", 0xC00000B5);
  public static final NtStatus STATUS_NOT_SUPPORTED = define("STATUS_NOT_SUPPORTED", 0xC00000BB);
  public static final NtStatus STATUS_TOO_MANY_SESSIONS =
      define("STATUS_TOO_MANY_SESSIONS", 0xC00000CE);
  public static final NtStatus STATUS_INTERNAL_ERROR = define("STATUS_INTERNAL_ERROR", 0xC00000E5);
  public static final NtStatus STATUS_INVALID_USER_BUFFER =
      define("STATUS_INVALID_USER_BUFFER", 0xC00000E8);
  public static final NtStatus STATUS_DIRECTORY_NOT_EMPTY =
      define("STATUS_DIRECTORY_NOT_EMPTY", 0xC0000101);
  public static final NtStatus STATUS_NOT_A_DIRECTORY = define("STATUS_NOT_A_DIRECTORY", 0xC0000103);
  public static final NtStatus STATUS_NAME_TOO_LONG = define("STATUS_NAME_TOO_LONG", 0xC0000106);
  public static final NtStatus STATUS_PROCESS_IS_TERMINATING =
      define("STATUS_PROCESS_IS_TERMINATING", 0xC000010A);
  public static final NtStatus STATUS_IMAGE_ALREADY_LOADED =
      define("STATUS_IMAGE_ALREADY_LOADED", 0xC000010E);
  public static final NtStatus STATUS_CANCELLED = define("STATUS_CANCELLED", 0xC0000120);
  public static final NtStatus STATUS_CANNOT_DELETE = define("STATUS_CANNOT_DELETE", 0xC0000121);
  public static final NtStatus STATUS_FILE_DELETED = define("STATUS_FILE_DELETED", 0xC0000123);
  public static final NtStatus STATUS_FILE_CLOSED = define("STATUS_FILE_CLOSED", 0xC0000128);
  public static final NtStatus STATUS_DLL_NOT_FOUND = define("STATUS_DLL_NOT_FOUND", 0xC0000135);
  public static final NtStatus STATUS_ENTRYPOINT_NOT_FOUND =
      define("STATUS_ENTRYPOINT_NOT_FOUND", 0xC0000139);
  public static final NtStatus STATUS_INVALID_ADDRESS = define("STATUS_INVALID_ADDRESS", 0xC0000141);
  public static final NtStatus STATUS_DLL_INIT_FAILED = define("STATUS_DLL_INIT_FAILED", 0xC0000142);
  public static final NtStatus STATUS_INVALID_LEVEL = define("STATUS_INVALID_LEVEL", 0xC0000148);
  public static final NtStatus STATUS_REGISTRY_CORRUPT = define("STATUS_REGISTRY_CORRUPT", 0xC000014C);
  public static final NtStatus STATUS_REGISTRY_IO_FAILED =
      define("STATUS_REGISTRY_IO_FAILED", 0xC000014D);
  public static final NtStatus STATUS_ILL_FORMED_SERVICE_ENTRY =
      define("STATUS_ILL_FORMED_SERVICE_ENTRY", 0xC0000160);
  public static final NtStatus STATUS_KEY_DELETED = define("STATUS_KEY_DELETED", 0xC000017C);
  public static final NtStatus STATUS_KEY_HAS_CHILDREN = define("STATUS_KEY_HAS_CHILDREN", 0xC0000180);
  public static final NtStatus STATUS_CHILD_MUST_BE_VOLATILE =
      define("STATUS_CHILD_MUST_BE_VOLATILE", 0xC0000181);
  public static final NtStatus STATUS_DRIVER_INTERNAL_ERROR =
      define("STATUS_DRIVER_INTERNAL_ERROR", 0xC0000183);
  public static final NtStatus STATUS_INVALID_DEVICE_STATE =
      define("STATUS_INVALID_DEVICE_STATE", 0xC0000184);
  public static final NtStatus STATUS_INVALID_BUFFER_SIZE =
      define("STATUS_INVALID_BUFFER_SIZE", 0xC0000206);
  public static final NtStatus STATUS_NOT_FOUND = define("STATUS_NOT_FOUND", 0xC0000225);
  public static final NtStatus STATUS_HANDLE_NOT_CLOSABLE =
      define("STATUS_HANDLE_NOT_CLOSABLE", 0xC0000235);
  public static final NtStatus STATUS_PLUGPLAY_NO_DEVICE =
      define("STATUS_PLUGPLAY_NO_DEVICE", 0xC000025E);
  public static final NtStatus STATUS_DRIVER_ENTRYPOINT_NOT_FOUND =
      define("STATUS_DRIVER_ENTRYPOINT_NOT_FOUND", 0xC0000263);
  public static final NtStatus STATUS_DRIVER_UNABLE_TO_LOAD =
      define("STATUS_DRIVER_UNABLE_TO_LOAD", 0xC000026C);
  public static final NtStatus STATUS_VOLUME_DISMOUNTED =
      define("STATUS_VOLUME_DISMOUNTED", 0xC000026E);
  public static final NtStatus STATUS_REPARSE_POINT_NOT_RESOLVED =
      define("STATUS_REPARSE_POINT_NOT_RESOLVED", 0xC0000280);
  public static final NtStatus STATUS_DEVICE_REMOVED = define("STATUS_DEVICE_REMOVED", 0xC00002B6);
  public static final NtStatus STATUS_SYSTEM_SHUTDOWN = define("STATUS_SYSTEM_SHUTDOWN", 0xC00002EB);
  public static final NtStatus STATUS_FAILED_DRIVER_ENTRY =
      define("STATUS_FAILED_DRIVER_ENTRY", 0xC0000365);
  public static final NtStatus STATUS_MOUNT_POINT_NOT_RESOLVED =
      define("STATUS_MOUNT_POINT_NOT_RESOLVED", 0xC0000368);
  public static final NtStatus STATUS_INVALID_DEVICE_OBJECT_PARAMETER =
      define("STATUS_INVALID_DEVICE_OBJECT_PARAMETER", 0xC0000369);
  public static final NtStatus STATUS_DRIVER_BLOCKED_CRITICAL =
      define("STATUS_DRIVER_BLOCKED_CRITICAL", 0xC000036B);
  public static final NtStatus STATUS_DRIVER_BLOCKED = define("STATUS_DRIVER_BLOCKED", 0xC000036C);
  public static final NtStatus STATUS_INVALID_IMAGE_HASH =
      define("STATUS_INVALID_IMAGE_HASH", 0xC0000428);

  // Framework (KMDF, wdfstatus.h: facility 0x20).
  public static final NtStatus STATUS_WDF_OBJECT_ATTRIBUTES_INVALID =
      define("STATUS_WDF_OBJECT_ATTRIBUTES_INVALID", 0xC0200209);
  public static final NtStatus STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL =
      define("STATUS_WDF_INCOMPATIBLE_EXECUTION_LEVEL", 0xC020020C);
  public static final NtStatus STATUS_WDF_PARENT_ALREADY_ASSIGNED =
      define("STATUS_WDF_PARENT_ALREADY_ASSIGNED", 0xC020020D);
  public static final NtStatus STATUS_WDF_PARENT_IS_SELF =
      define("STATUS_WDF_PARENT_IS_SELF", 0xC020020E);
  public static final NtStatus STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED =
      define("STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED", 0xC020020F);
  public static final NtStatus STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID =
      define("STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID", 0xC0200210);
  public static final NtStatus STATUS_WDF_EXECUTION_LEVEL_INVALID =
      define("STATUS_WDF_EXECUTION_LEVEL_INVALID", 0xC0200211);
  public static final NtStatus STATUS_WDF_PARENT_NOT_SPECIFIED =
      define("STATUS_WDF_PARENT_NOT_SPECIFIED", 0xC0200212);

  private final int code;
  private final String name;

  private NtStatus(int code, String name) {
    this.code = code;
    this.name = name;
  }

  private static NtStatus define(String name, int code) {
    NtStatus status = new NtStatus(code, name);
    if (BY_CODE.putIfAbsent(code, status) != null || BY_NAME.putIfAbsent(name, status) != null) {
      throw new ExceptionInInitializerError("duplicate status " + name);
    }
    return status;
  }

  /**
   * The status with this code: the named constant if ntio knows it, else an unnamed value whose
   * name is its hexadecimal code.
   */
  public static NtStatus of(int code) {
    NtStatus known = BY_CODE.get(code);
    return known != null ? known : new NtStatus(code, hex(code));
  }

  /** The named status, for example {@code STATUS_ACCESS_DENIED}; case-insensitive. */
  public static Optional<NtStatus> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toUpperCase(Locale.ROOT)));
  }

  /** Every named status, in code order within each severity. */
  public static Map<String, NtStatus> named() {
    return Collections.unmodifiableMap(BY_NAME);
  }

  /** The 32-bit code. */
  public int code() {
    return code;
  }

  /** The name, for example {@code STATUS_ACCESS_DENIED}, or the hex code if unnamed. */
  public String name() {
    return name;
  }

  /** Whether ntio has a name for this code. */
  public boolean isKnown() {
    return BY_CODE.get(code) == this;
  }

  /** {@code NT_SUCCESS}: success or informational severity. */
  public boolean isSuccess() {
    return code >= 0;
  }

  /** {@code NT_INFORMATION}: severity 01. */
  public boolean isInformational() {
    return (code >>> 30) == 1;
  }

  /** {@code NT_WARNING}: severity 10. */
  public boolean isWarning() {
    return (code >>> 30) == 2;
  }

  /** {@code NT_ERROR}: severity 11. */
  public boolean isError() {
    return (code >>> 30) == 3;
  }

  /** The code as {@code 0xC0000061}. */
  public String hex() {
    return hex(code);
  }

  private static String hex(int code) {
    return String.format("0x%08X", code);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NtStatus that && that.code == code;
  }

  @Override
  public int hashCode() {
    return code;
  }

  /** {@code STATUS_NAME (0xC0000061)}. */
  @Override
  public String toString() {
    return isKnown() ? name + " (" + hex(code) + ")" : hex(code);
  }
}
