package ntio.api;

/** What {@code NtQueryObject} tells of an object through a handle. */
public record ObjectInfo(
    String typeName,
    String name,
    long pointerCount,
    long handleCount,
    boolean permanent,
    boolean exclusive,
    int grantedAccess,
    int handleAttributes) {

  /** This header with another name (null: ObjectNameInformation failed). */
  public ObjectInfo withName(String newName) {
    return new ObjectInfo(typeName, newName, pointerCount, handleCount, permanent, exclusive,
        grantedAccess, handleAttributes);
  }
}
