package ntio.ddk;

/**
 * The {@code FILE_INFORMATION_CLASS} values ntio knows, with what NT asks of each: the smallest
 * buffer, and the access a handle needs to query or set it. Models NT's {@code
 * IopQueryOperationLength}, {@code IopSetOperationLength}, {@code IopQueryOperationAccess} and
 * {@code IopSetOperationAccess} tables (partial: the classes a device driver meets).
 */
public final class FileInformationClass {

  private FileInformationClass() {}

  /** {@code FileBasicInformation}: times and attributes. */
  public static final int FILE_BASIC_INFORMATION = 4;
  /** {@code FileStandardInformation}: sizes, links, delete pending, directory. */
  public static final int FILE_STANDARD_INFORMATION = 5;
  /** {@code FileInternalInformation}: the file's index number. */
  public static final int FILE_INTERNAL_INFORMATION = 6;
  /** {@code FileEaInformation}: the size of the extended attributes. */
  public static final int FILE_EA_INFORMATION = 7;
  /** {@code FileAccessInformation}: the handle's granted access; the I/O manager answers it. */
  public static final int FILE_ACCESS_INFORMATION = 8;
  /** {@code FileNameInformation}: the file's name. */
  public static final int FILE_NAME_INFORMATION = 9;
  /** {@code FileRenameInformation} (set only). */
  public static final int FILE_RENAME_INFORMATION = 10;
  /** {@code FileDispositionInformation} (set only): delete on close. */
  public static final int FILE_DISPOSITION_INFORMATION = 13;
  /** {@code FilePositionInformation}: the current byte offset. */
  public static final int FILE_POSITION_INFORMATION = 14;
  /** {@code FileModeInformation}: the open's mode; the I/O manager answers it. */
  public static final int FILE_MODE_INFORMATION = 16;
  /** {@code FileAlignmentInformation}: the device's alignment; the I/O manager answers it. */
  public static final int FILE_ALIGNMENT_INFORMATION = 17;
  /** {@code FileAllInformation}: basic, standard, internal, EA, access, position, mode,
   * alignment and name together. */
  public static final int FILE_ALL_INFORMATION = 18;
  /** {@code FileAllocationInformation} (set only). */
  public static final int FILE_ALLOCATION_INFORMATION = 19;
  /** {@code FileEndOfFileInformation} (set only). */
  public static final int FILE_END_OF_FILE_INFORMATION = 20;

  /**
   * The smallest buffer {@code NtQueryInformationFile} accepts for {@code informationClass}, or
   * -1 if the class cannot be queried.
   */
  public static int queryLength(int informationClass) {
    return switch (informationClass) {
      case FILE_BASIC_INFORMATION -> 40;
      case FILE_STANDARD_INFORMATION -> 24;
      case FILE_INTERNAL_INFORMATION, FILE_POSITION_INFORMATION, FILE_NAME_INFORMATION -> 8;
      case FILE_EA_INFORMATION, FILE_ACCESS_INFORMATION, FILE_MODE_INFORMATION,
          FILE_ALIGNMENT_INFORMATION -> 4;
      case FILE_ALL_INFORMATION -> 104;
      default -> -1;
    };
  }

  /** The access a handle needs to query {@code informationClass}. */
  public static int queryAccess(int informationClass) {
    return switch (informationClass) {
      case FILE_BASIC_INFORMATION, FILE_ALL_INFORMATION -> AccessMask.FILE_READ_ATTRIBUTES;
      default -> 0;
    };
  }

  /**
   * The smallest buffer {@code NtSetInformationFile} accepts for {@code informationClass}, or -1
   * if the class cannot be set.
   */
  public static int setLength(int informationClass) {
    return switch (informationClass) {
      case FILE_BASIC_INFORMATION -> 40;
      case FILE_RENAME_INFORMATION -> 24;
      case FILE_DISPOSITION_INFORMATION -> 1;
      case FILE_POSITION_INFORMATION, FILE_ALLOCATION_INFORMATION, FILE_END_OF_FILE_INFORMATION -> 8;
      case FILE_MODE_INFORMATION -> 4;
      default -> -1;
    };
  }

  /** The access a handle needs to set {@code informationClass}. */
  public static int setAccess(int informationClass) {
    return switch (informationClass) {
      case FILE_BASIC_INFORMATION -> AccessMask.FILE_WRITE_ATTRIBUTES;
      case FILE_RENAME_INFORMATION, FILE_DISPOSITION_INFORMATION -> AccessMask.DELETE;
      case FILE_ALLOCATION_INFORMATION, FILE_END_OF_FILE_INFORMATION -> AccessMask.FILE_WRITE_DATA;
      default -> 0;
    };
  }
}
