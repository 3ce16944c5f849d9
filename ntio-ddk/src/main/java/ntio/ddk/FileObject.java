package ntio.ddk;

/**
 * An open of a device. Models {@code FILE_OBJECT} (partial: no VPB, no section pointers). It is
 * created by an open, receives {@code IRP_MJ_CLEANUP} when its last handle is closed and
 * {@code IRP_MJ_CLOSE} when its last reference goes.
 */
public interface FileObject {

  /** {@code IO_TYPE_FILE}. */
  int TYPE = 5;

  /**
   * {@code FO_SYNCHRONOUS_IO}: opened with {@code FILE_SYNCHRONOUS_IO_ALERT} or {@code
   * FILE_SYNCHRONOUS_IO_NONALERT}; the I/O manager waits for every request on it.
   */
  int FO_SYNCHRONOUS_IO = 0x00000002;

  /** {@code FO_ALERTABLE_IO}: opened with {@code FILE_SYNCHRONOUS_IO_ALERT}. */
  int FO_ALERTABLE_IO = 0x00000004;

  /** {@code FO_DIRECT_DEVICE_OPEN}: opened for attributes only; no create went down. */
  int FO_DIRECT_DEVICE_OPEN = 0x00000800;

  /** {@code Type}, the {@code IO_TYPE_*} code: always {@link #TYPE}. */
  default int ioType() {
    return TYPE;
  }

  /** {@code DeviceObject}: the device the name resolved to (not the top of its stack). */
  DeviceObject deviceObject();

  /**
   * {@code FileName}: what followed the device's name, as NT keeps it — with its leading
   * {@code \\} ({@code \\Device\\X\\sub} gives {@code \\sub}, {@code \\Device\\X\\} gives
   * {@code \\}); for an open relative to another file, the name as the caller gave it; empty for
   * an open of the device itself.
   */
  UnicodeString fileName();

  /**
   * {@code RelatedFileObject}: for an open relative to a file handle ({@code RootDirectory} names
   * an open file), that handle's file object; null otherwise.
   */
  default FileObject relatedFileObject() {
    return null;
  }

  /** {@code Flags}: {@code FO_*}. */
  int flags();

  /** {@code FsContext}: whatever the driver keeps per open, or null. */
  Object fsContext();

  /** Sets {@code FsContext}. */
  void setFsContext(Object context);

  /** {@code FsContext2}. */
  Object fsContext2();

  /** Sets {@code FsContext2}. */
  void setFsContext2(Object context);
}
