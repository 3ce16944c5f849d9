package ntio.kernel.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectType;

/**
 * A file object: one open of a device. Models {@code FILE_OBJECT} (partial: see
 * {@link FileObject}).
 *
 * <p>It takes one {@code ReferenceCount} on its device when the open's check passes (B36) and
 * gives it back when the object is deleted (B39) — or at once, if the driver fails the create.
 * The File type's close procedure sends {@code IRP_MJ_CLEANUP} with the last handle; its delete
 * procedure sends {@code IRP_MJ_CLOSE} and drops the count, which can finish a deferred unload.
 */
final class KernelFileObject extends KernelObject implements FileObject {

  /*
   * Implementation notes: a process may hold 100,000 file objects (the scale curves' handles), so
   * each is kept small — the created and cleaned-up flags are two bits of one int changed through a
   * VarHandle rather than two AtomicBoolean objects, and a direct open (no name past the device, the
   * usual case) shares the one empty UnicodeString: an open (file object, handle entry and slot)
   * costs 116 bytes of heap instead of 188 (measured before RelatedFileObject, one more reference
   * field, was added for relative opens).
   */

  /** {@link #progress}: the driver's create succeeded. */
  private static final int CREATED = 1;

  /** {@link #progress}: IRP_MJ_CLEANUP was taken to be sent (at most once). */
  private static final int CLEANED_UP = 2;

  private static final VarHandle PROGRESS;

  static {
    try {
      PROGRESS = MethodHandles.lookup().findVarHandle(KernelFileObject.class, "progress", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final KernelDeviceObject device;
  /** {@code RelatedFileObject}: the root of a relative open, else null. No kernel reference. */
  private final KernelFileObject related;
  private final UnicodeString fileName;
  private final int flags;
  private final int grantedAccess;

  /**
   * 0 → {@link #CREATED} (markCreated, once the driver's IRP_MJ_CREATE succeeded) → {@code CREATED |
   * CLEANED_UP} (takeCleanup, for the one caller that sends IRP_MJ_CLEANUP). A file whose create
   * failed stays 0 and is never cleaned up. Changed only through {@link #PROGRESS}.
   */
  @SuppressWarnings("unused") // read and written through PROGRESS
  private volatile int progress;
  private volatile Object fsContext;
  private volatile Object fsContext2;
  /** What IoCheckShareAccess recorded: {@code ReadAccess}, {@code WriteAccess}, ... */
  private volatile ShareRecord shareRecord = ShareRecord.NONE;

  /** The file object's {@code ReadAccess}/{@code WriteAccess}/{@code DeleteAccess} and sharing. */
  record ShareRecord(boolean read, boolean write, boolean delete, int shareAccess) {
    static final ShareRecord NONE = new ShareRecord(false, false, false, 0);
  }

  KernelFileObject(ObjectType type, KernelDeviceObject device, String fileName, int flags,
      int grantedAccess, KernelFileObject related) {
    super(type);
    this.device = device;
    this.related = related;
    this.fileName = fileName.isEmpty() ? UnicodeString.empty() : UnicodeString.of(fileName);
    this.flags = flags;
    this.grantedAccess = grantedAccess;
  }

  KernelDeviceObject device() {
    return device;
  }

  /** The access the open was granted. */
  int grantedAccess() {
    return grantedAccess;
  }

  /** Marks the driver's create as succeeded: from now on, close sends IRP_MJ_CLOSE. */
  void markCreated() {
    PROGRESS.getAndBitwiseOr(this, CREATED);
  }

  /**
   * Whether the file object is for synchronous I/O ({@code FO_SYNCHRONOUS_IO}: opened with {@code
   * FILE_SYNCHRONOUS_IO_ALERT} or {@code FILE_SYNCHRONOUS_IO_NONALERT}). Fixed at the open; it
   * decides what every call on the file gives back ({@link StatusBlockRules}).
   */
  boolean isSynchronousIo() {
    return (flags & FO_SYNCHRONOUS_IO) != 0;
  }

  boolean isCreated() {
    return ((int) PROGRESS.getVolatile(this) & CREATED) != 0;
  }

  /** What IoCheckShareAccess recorded for this open. */
  ShareRecord shareRecord() {
    return shareRecord;
  }

  void setShareRecord(ShareRecord record) {
    this.shareRecord = record;
  }

  /** True once, for the caller that should send IRP_MJ_CLEANUP; never for a file not created. */
  boolean takeCleanup() {
    int seen = (int) PROGRESS.getVolatile(this);
    while (seen == CREATED) {
      int witness = (int) PROGRESS.compareAndExchange(this, seen, CREATED | CLEANED_UP);
      if (witness == seen) {
        return true;
      }
      seen = witness;
    }
    return false;
  }

  @Override
  public DeviceObject deviceObject() {
    return device;
  }

  @Override
  public FileObject relatedFileObject() {
    return related;
  }

  @Override
  public UnicodeString fileName() {
    return fileName;
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public Object fsContext() {
    return fsContext;
  }

  @Override
  public void setFsContext(Object context) {
    this.fsContext = context;
  }

  @Override
  public Object fsContext2() {
    return fsContext2;
  }

  @Override
  public void setFsContext2(Object context) {
    this.fsContext2 = context;
  }

  @Override
  public String describe() {
    return "File on " + device.describe() + (fileName.length() > 0 ? " " + fileName.text() : "");
  }
}
