package ntio.ddk;

import java.util.Objects;

/**
 * What names an object in an open or create call. Models {@code OBJECT_ATTRIBUTES} (partial: no
 * security quality of service; the security descriptor travels separately where a call takes one).
 *
 * @param rootDirectory a directory (or key) handle the name is relative to, or {@link Handle#NULL}
 * @param objectName the name; absolute when {@code rootDirectory} is NULL
 * @param attributes {@code OBJ_*} flags
 */
public record ObjectAttributes(Handle rootDirectory, UnicodeString objectName, int attributes) {

  /** {@code OBJ_INHERIT}. */
  public static final int OBJ_INHERIT = 0x00000002;
  /** {@code OBJ_PERMANENT}: the name outlives the last handle. */
  public static final int OBJ_PERMANENT = 0x00000010;
  /** {@code OBJ_EXCLUSIVE}: only one handle at a time. */
  public static final int OBJ_EXCLUSIVE = 0x00000020;
  /** {@code OBJ_CASE_INSENSITIVE}. */
  public static final int OBJ_CASE_INSENSITIVE = 0x00000040;
  /** {@code OBJ_OPENIF}: open the object if the name exists instead of failing a create. */
  public static final int OBJ_OPENIF = 0x00000080;
  /** {@code OBJ_OPENLINK}: open a symbolic link itself rather than following it. */
  public static final int OBJ_OPENLINK = 0x00000100;
  /** {@code OBJ_KERNEL_HANDLE}: the handle goes into the System process's table. */
  public static final int OBJ_KERNEL_HANDLE = 0x00000200;
  /** {@code OBJ_FORCE_ACCESS_CHECK}: check access even for a kernel-mode caller. */
  public static final int OBJ_FORCE_ACCESS_CHECK = 0x00000400;
  /** Every attribute bit NT defines. */
  public static final int OBJ_VALID_ATTRIBUTES = 0x000007F2;

  public ObjectAttributes {
    Objects.requireNonNull(rootDirectory, "rootDirectory");
  }

  /** An absolute, case-insensitive name. */
  public static ObjectAttributes of(String absoluteName) {
    return new ObjectAttributes(
        Handle.NULL, UnicodeString.of(absoluteName), OBJ_CASE_INSENSITIVE);
  }

  /** An absolute name with the given attributes. */
  public static ObjectAttributes of(String absoluteName, int attributes) {
    return new ObjectAttributes(Handle.NULL, UnicodeString.of(absoluteName), attributes);
  }

  /** A name relative to {@code root}, case-insensitive. */
  public static ObjectAttributes relative(Handle root, String name) {
    return new ObjectAttributes(root, UnicodeString.of(name), OBJ_CASE_INSENSITIVE);
  }

  /** Whether every bit of {@code flag} is set. */
  public boolean has(int flag) {
    return (attributes & flag) == flag;
  }
}
