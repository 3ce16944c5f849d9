package ntio.ddk;

/**
 * The {@code FS_INFORMATION_CLASS} values, with what NT asks of each query: the smallest buffer
 * and the access a handle needs. Models NT's {@code IopQueryFsOperationLength} and {@code
 * IopQueryFsOperationAccess} tables (partial: the classes up to {@code FileFsSectorSizeInformation}).
 */
public final class FsInformationClass {

  private FsInformationClass() {}

  /** {@code FileFsVolumeInformation}: creation time, serial number, label. */
  public static final int FILE_FS_VOLUME_INFORMATION = 1;
  /** {@code FileFsLabelInformation}: set only. */
  public static final int FILE_FS_LABEL_INFORMATION = 2;
  /** {@code FileFsSizeInformation}: allocation units, sectors. */
  public static final int FILE_FS_SIZE_INFORMATION = 3;
  /** {@code FileFsDeviceInformation}: device type and characteristics; the I/O manager answers it. */
  public static final int FILE_FS_DEVICE_INFORMATION = 4;
  /** {@code FileFsAttributeInformation}: file system attributes and name. */
  public static final int FILE_FS_ATTRIBUTE_INFORMATION = 5;
  /** {@code FileFsControlInformation}: quotas and content indexing. */
  public static final int FILE_FS_CONTROL_INFORMATION = 6;
  /** {@code FileFsFullSizeInformation}: allocation units available to the caller and in all. */
  public static final int FILE_FS_FULL_SIZE_INFORMATION = 7;
  /** {@code FileFsObjectIdInformation}: the volume's object id. */
  public static final int FILE_FS_OBJECT_ID_INFORMATION = 8;
  /** {@code FileFsDriverPathInformation}: whether a driver is in the volume's stack. */
  public static final int FILE_FS_DRIVER_PATH_INFORMATION = 9;
  /** {@code FileFsVolumeFlagsInformation}: the volume's flags. */
  public static final int FILE_FS_VOLUME_FLAGS_INFORMATION = 10;
  /** {@code FileFsSectorSizeInformation}: logical and physical sector sizes. */
  public static final int FILE_FS_SECTOR_SIZE_INFORMATION = 11;

  /**
   * The smallest buffer {@code NtQueryVolumeInformationFile} accepts for {@code
   * fsInformationClass} (the size of its fixed part), or -1 if the class cannot be queried
   * (partial: {@code FileFsDriverPathInformation}, which NT's I/O manager answers from its own
   * driver list, is not modelled and counts as one that cannot).
   */
  public static int queryLength(int fsInformationClass) {
    return switch (fsInformationClass) {
      case FILE_FS_VOLUME_INFORMATION, FILE_FS_SIZE_INFORMATION -> 24;
      case FILE_FS_DEVICE_INFORMATION -> 8;
      case FILE_FS_ATTRIBUTE_INFORMATION -> 12;
      case FILE_FS_CONTROL_INFORMATION -> 48;
      case FILE_FS_FULL_SIZE_INFORMATION -> 32;
      case FILE_FS_OBJECT_ID_INFORMATION -> 64;
      case FILE_FS_VOLUME_FLAGS_INFORMATION -> 4;
      case FILE_FS_SECTOR_SIZE_INFORMATION -> 28;
      default -> -1;
    };
  }

  /**
   * The access a handle needs to query {@code fsInformationClass}: {@code FILE_READ_DATA} for
   * the control and object-id classes, none for the others (NT lets a handle opened with no
   * access at all ask a volume its size or label).
   */
  public static int queryAccess(int fsInformationClass) {
    return switch (fsInformationClass) {
      case FILE_FS_CONTROL_INFORMATION, FILE_FS_OBJECT_ID_INFORMATION -> AccessMask.FILE_READ_DATA;
      default -> 0;
    };
  }
}
