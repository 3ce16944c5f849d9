package ntio.kernel.io;

import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ShareAccess;

/**
 * {@code IoCheckShareAccess} and {@code IoRemoveShareAccess} as a driver calls them (ReactOS
 * io/iomgr/file.c): the access a check granted is recorded on the file object, so that the
 * removal takes back exactly what was granted, as NT reads it back from the file object's flags.
 *
 * <p>The calls' gates and argument checks are the caller's ({@link ImageImports}).
 */
final class DriverShareAccess {

  private final DriverArguments args;

  DriverShareAccess(DriverArguments args) {
    this.args = args;
  }

  /** {@code IoCheckShareAccess}: records the access on {@code open}, then checks (and updates). */
  NtStatus check(int desiredAccess, int desiredShareAccess, KernelFileObject open, ShareAccess share,
      boolean update) {
    KernelFileObject.ShareRecord record = new KernelFileObject.ShareRecord(
        (desiredAccess & (AccessMask.FILE_READ_DATA | AccessMask.FILE_EXECUTE)) != 0,
        (desiredAccess & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) != 0,
        (desiredAccess & AccessMask.DELETE) != 0,
        desiredShareAccess);
    open.setShareRecord(record);
    return share.check(record.read(), record.write(), record.delete(), desiredShareAccess, update);
  }

  /**
   * {@code IoRemoveShareAccess}: the access {@code open}'s check recorded; an open no check
   * recorded is the driver's bug (0x1E).
   */
  void remove(KernelFileObject open, ShareAccess share) {
    KernelFileObject.ShareRecord record = open.shareRecord();
    if (record == null) {
      throw args.fault("IoRemoveShareAccess of " + open
          + ", for which IoCheckShareAccess never recorded an access");
    }
    share.remove(record.read(), record.write(), record.delete(), record.shareAccess());
  }
}
