package ntio.kernel.io;

import java.util.concurrent.atomic.AtomicBoolean;
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

  private final KernelDeviceObject device;
  private final UnicodeString fileName;
  private final int flags;
  private final int grantedAccess;
  private final AtomicBoolean created = new AtomicBoolean();
  private final AtomicBoolean cleanedUp = new AtomicBoolean();
  private volatile Object fsContext;
  private volatile Object fsContext2;
  /** What IoCheckShareAccess recorded: {@code ReadAccess}, {@code WriteAccess}, ... */
  private volatile ShareRecord shareRecord = ShareRecord.NONE;

  /** The file object's {@code ReadAccess}/{@code WriteAccess}/{@code DeleteAccess} and sharing. */
  record ShareRecord(boolean read, boolean write, boolean delete, int shareAccess) {
    static final ShareRecord NONE = new ShareRecord(false, false, false, 0);
  }

  KernelFileObject(ObjectType type, KernelDeviceObject device, String fileName, int flags, int grantedAccess) {
    super(type);
    this.device = device;
    this.fileName = UnicodeString.of(fileName);
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
    created.set(true);
  }

  boolean isCreated() {
    return created.get();
  }

  /** True once, for the caller that should send IRP_MJ_CLEANUP. */
  ShareRecord shareRecord() {
    return shareRecord;
  }

  void setShareRecord(ShareRecord record) {
    this.shareRecord = record;
  }

  boolean takeCleanup() {
    return created.get() && cleanedUp.compareAndSet(false, true);
  }

  @Override
  public DeviceObject deviceObject() {
    return device;
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
    return "File on " + device.describe() + (fileName.length() > 0 ? " \\" + fileName.text() : "");
  }
}
