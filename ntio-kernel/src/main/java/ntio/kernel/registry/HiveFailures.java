package ntio.kernel.registry;

import java.lang.System.Logger.Level;
import java.util.Locale;
import ntio.ddk.NtStatus;

/**
 * What a failure of the hive file means and who hears of it: the status a call gets, and the log.
 * Models the system event NT logs when it cannot write a hive (partial: one logger, no event ids).
 *
 * <p>Failures come in streaks: from the first failed write until a write succeeds again. The first
 * failure of a streak is logged at {@code ERROR} with its cause; the others of the same streak at
 * {@code DEBUG}, so a full disk does not also fill the log; the end of a streak at {@code INFO}.
 *
 * <p>Not thread-safe: confined to the holder of the registry lock.
 */
final class HiveFailures {

  private static final System.Logger LOG = System.getLogger(Hive.class.getName());

  /** The {@code strerror} texts of {@code ENOSPC} and {@code EDQUOT}, as the JDK reports them. */
  private static final String[] DISK_FULL_MESSAGES = {
    "no space left on device", "disk quota exceeded", "not enough space"
  };

  private final String file;

  /** How many calls have failed since the last write that succeeded. */
  private long streak;

  /** Whether a failure to reopen the file was logged and no reopen succeeded since. */
  private boolean reopenFailureLogged;

  HiveFailures(String file) {
    this.file = file;
  }

  /**
   * A write of the hive file failed: logs it and gives the status for the call. {@code
   * STATUS_DISK_FULL} if the device is full (or the owner's quota spent), else {@code
   * STATUS_REGISTRY_IO_FAILED}.
   *
   * @param what the call that failed, in words
   */
  NtStatus writeFailed(RuntimeException failure, String what) {
    NtStatus status = isDiskFull(failure)
        ? NtStatus.STATUS_DISK_FULL
        : NtStatus.STATUS_REGISTRY_IO_FAILED;
    streak++;
    if (streak == 1) {
      LOG.log(Level.ERROR, "registry hive " + file + ": " + what + " failed (" + status
          + "); the change was not applied, and reads go on from the last committed state", failure);
    } else {
      LOG.log(Level.DEBUG, "registry hive " + file + ": " + what + " failed again (" + status
          + ", " + streak + " failures in a row): " + failure);
    }
    return status;
  }

  /** The hive file could not be opened again after a failure: logged once until it can be. */
  void reopenFailed(RuntimeException failure) {
    if (!reopenFailureLogged) {
      reopenFailureLogged = true;
      LOG.log(Level.ERROR, "registry hive " + file + " cannot be opened again after a write failure;"
          + " every call fails until it can", failure);
    }
  }

  /** The hive file was opened again after a failure. */
  void reopened() {
    if (reopenFailureLogged) {
      reopenFailureLogged = false;
      LOG.log(Level.INFO, "registry hive " + file + " is open again");
    }
  }

  /** A write succeeded: ends a streak of failures, if there was one. */
  void writeSucceeded() {
    if (streak > 0) {
      LOG.log(Level.INFO, "registry hive " + file + " is written again, after " + streak
          + " failed calls");
      streak = 0;
    }
  }

  /** How many calls have failed since the last write that succeeded. */
  long streak() {
    return streak;
  }

  /** Whether the failure, or one of its causes, says the device is full. */
  static boolean isDiskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (message == null) {
        continue;
      }
      String lower = message.toLowerCase(Locale.ROOT);
      for (String full : DISK_FULL_MESSAGES) {
        if (lower.contains(full)) {
          return true;
        }
      }
    }
    return false;
  }
}
