package ntio.ddk;

/**
 * What a driver keeps per shared resource (a file, or a device it lets several opens share) to
 * enforce NT's sharing rules: how many opens there are, how many read, write or delete, and how
 * many of them let others do so. Models {@code SHARE_ACCESS} (full), used with {@link
 * KernelServices#checkShareAccess} and {@link KernelServices#removeShareAccess}.
 *
 * <p>Not thread-safe: like NT's, the driver guards it with its own lock around the check and the
 * removal.
 */
public final class ShareAccess {

  /** {@code FILE_SHARE_READ}: others may open for read while this open exists. */
  public static final int FILE_SHARE_READ = 0x1;

  /** {@code FILE_SHARE_WRITE}: others may open for write. */
  public static final int FILE_SHARE_WRITE = 0x2;

  /** {@code FILE_SHARE_DELETE}: others may open for delete. */
  public static final int FILE_SHARE_DELETE = 0x4;

  int openCount;
  int readers;
  int writers;
  int deleters;
  int sharedRead;
  int sharedWrite;
  int sharedDelete;

  /** An empty record: no opens. */
  public ShareAccess() {}

  /** {@code OpenCount}: the opens that asked for read, write or delete access. */
  public int openCount() {
    return openCount;
  }

  /** {@code Readers}. */
  public int readers() {
    return readers;
  }

  /** {@code Writers}. */
  public int writers() {
    return writers;
  }

  /** {@code Deleters}. */
  public int deleters() {
    return deleters;
  }

  /** {@code SharedRead}: opens that let others read. */
  public int sharedRead() {
    return sharedRead;
  }

  /** {@code SharedWrite}. */
  public int sharedWrite() {
    return sharedWrite;
  }

  /** {@code SharedDelete}. */
  public int sharedDelete() {
    return sharedDelete;
  }

  /**
   * The check and update of {@code IoCheckShareAccess}, on the access bits an open asks for and
   * the sharing it grants. Kept here so that the rule is one piece of code; drivers call {@link
   * KernelServices#checkShareAccess}, which also records the open's part on its file object.
   *
   * @param read whether the open reads ({@code FILE_READ_DATA} or {@code FILE_EXECUTE})
   * @param write whether it writes ({@code FILE_WRITE_DATA} or {@code FILE_APPEND_DATA})
   * @param delete whether it deletes ({@code DELETE})
   * @param desiredShareAccess {@code FILE_SHARE_*} bits it grants others
   * @param update whether to count the open in when it is allowed
   * @return {@code STATUS_SUCCESS} or {@code STATUS_SHARING_VIOLATION}
   */
  public NtStatus check(boolean read, boolean write, boolean delete, int desiredShareAccess,
      boolean update) {
    if (!read && !write && !delete) {
      // An open for attributes only never conflicts and is never counted.
      return NtStatus.STATUS_SUCCESS;
    }
    boolean shareRead = (desiredShareAccess & FILE_SHARE_READ) != 0;
    boolean shareWrite = (desiredShareAccess & FILE_SHARE_WRITE) != 0;
    boolean shareDelete = (desiredShareAccess & FILE_SHARE_DELETE) != 0;
    if ((read && sharedRead < openCount)
        || (write && sharedWrite < openCount)
        || (delete && sharedDelete < openCount)
        || (readers != 0 && !shareRead)
        || (writers != 0 && !shareWrite)
        || (deleters != 0 && !shareDelete)) {
      return NtStatus.STATUS_SHARING_VIOLATION;
    }
    if (update) {
      add(read, write, delete, shareRead, shareWrite, shareDelete, 1);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * Takes one open's part out again: {@code IoRemoveShareAccess} for the access and sharing the
   * open was counted with.
   */
  public void remove(boolean read, boolean write, boolean delete, int desiredShareAccess) {
    if (!read && !write && !delete) {
      return;
    }
    add(read, write, delete, (desiredShareAccess & FILE_SHARE_READ) != 0,
        (desiredShareAccess & FILE_SHARE_WRITE) != 0, (desiredShareAccess & FILE_SHARE_DELETE) != 0,
        -1);
  }

  private void add(boolean read, boolean write, boolean delete, boolean shareRead,
      boolean shareWrite, boolean shareDelete, int sign) {
    openCount += sign;
    readers += read ? sign : 0;
    writers += write ? sign : 0;
    deleters += delete ? sign : 0;
    sharedRead += shareRead ? sign : 0;
    sharedWrite += shareWrite ? sign : 0;
    sharedDelete += shareDelete ? sign : 0;
  }

  @Override
  public String toString() {
    return "ShareAccess[open " + openCount + ", readers " + readers + ", writers " + writers
        + ", deleters " + deleters + ", shared " + sharedRead + "/" + sharedWrite + "/"
        + sharedDelete + "]";
  }
}
