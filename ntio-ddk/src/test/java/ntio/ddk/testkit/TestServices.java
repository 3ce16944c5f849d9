package ntio.ddk.testkit;

import java.util.UUID;
import java.util.function.Supplier;
import ntio.ddk.BuiltRequest;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.FileObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelTimer;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.ShareAccess;
import ntio.ddk.TraceProvider;
import ntio.ddk.UnicodeString;

/**
 * The import table a {@link TestKernel} gives a driver: the request services ({@code
 * IoCompleteRequest}, {@code IoCallDriver}, {@code IoCancelIrp}), pool charged to the driver, the
 * registry's open, query and close, and the verifier's break and {@code KeBugCheckEx}, recorded. Every other routine is unsupported: a test
 * that reaches one needs the real kernel.
 */
final class TestServices implements KernelServices {

  private final TestKernel kernel;
  /** The driver these services were given to, named in its bug checks; null for a bare test's. */
  private final String driver;

  TestServices(TestKernel kernel, String driver) {
    this.kernel = kernel;
    this.driver = driver;
  }

  private static UnsupportedOperationException unsupported(String routine) {
    return new UnsupportedOperationException(routine + " is not in the DDK test kit; test it on a booted kernel");
  }

  // Requests --------------------------------------------------------------------------------------

  @Override
  public void completeRequest(Irp irp, int priorityBoost) {
    kernel.completeRequest(irp);
  }

  @Override
  public NtStatus callDriver(DeviceObject device, Irp irp) {
    return kernel.callDriver(device, irp);
  }

  @Override
  public boolean cancelIrp(Irp irp) {
    return ((TestIrp) irp).cancel(irp.currentStackLocation().deviceObject());
  }

  // Pool ------------------------------------------------------------------------------------------

  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag) {
    if (kernel.isHalted()) {
      return new PoolResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (type == null || size < 0) {
      return new PoolResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    if (size > Integer.MAX_VALUE) {
      // More than the kit's pool (a Java array) holds, as a huge request exceeds real pool.
      return new PoolResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    return new PoolResult(NtStatus.STATUS_SUCCESS, kernel.allocatePool(driver, type, size, tag));
  }

  @Override
  public void freePoolWithTag(PoolBlock block, int tag) {
    if (!(block instanceof TestPoolBlock mine) || mine.tag() != tag || !mine.markFreed()) {
      throw kernel.bugCheck(BugCheck.BAD_POOL_CALLER, 0, 0, 0, 0, driver,
          "ExFreePoolWithTag of " + block + " with tag " + tag + ": not a live block of that tag");
    }
    kernel.freed(mine);
  }

  // Registry --------------------------------------------------------------------------------------

  @Override
  public HandleResult openKey(UnicodeString keyName, int desiredAccess) {
    return kernel.registry().openKey(keyName);
  }

  @Override
  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    return kernel.registry().queryValueKey(key, valueName);
  }

  @Override
  public NtStatus close(Handle handle) {
    return kernel.registry().close(handle);
  }

  // The verifier and bug checks -------------------------------------------------------------------

  @Override
  public RuntimeException bugCheckEx(int code, long p1, long p2, long p3, long p4, String message) {
    throw kernel.bugCheck(code, p1, p2, p3, p4, driver, message);
  }

  /** Driver Verifier verifies no image of the kit. */
  @Override
  public boolean isDriverVerifying(DriverObject driver) {
    return false;
  }

  @Override
  public void verifierBreak(String check, String message) {
    kernel.verifierBreak(driver, check, message);
  }

  // Unsupported -----------------------------------------------------------------------------------

  @Override
  public DeviceResult createDevice(DriverObject driver, Object extension, UnicodeString name,
      int deviceType, int characteristics, boolean exclusive) {
    throw unsupported("IoCreateDevice");
  }

  @Override
  public void deleteDevice(DeviceObject device) {
    throw unsupported("IoDeleteDevice");
  }

  @Override
  public DeviceResult attachDeviceToDeviceStack(DeviceObject source, DeviceObject target) {
    throw unsupported("IoAttachDeviceToDeviceStack");
  }

  @Override
  public DeviceResult attachDevice(DeviceObject source, UnicodeString targetName) {
    throw unsupported("IoAttachDevice");
  }

  @Override
  public void detachDevice(DeviceObject target) {
    throw unsupported("IoDetachDevice");
  }

  @Override
  public DeviceObject getLowerDeviceObject(DeviceObject device) {
    throw unsupported("IoGetLowerDeviceObject");
  }

  @Override
  public DeviceObject getRelatedDeviceObject(FileObject file) {
    throw unsupported("IoGetRelatedDeviceObject");
  }

  @Override
  public DeviceObject getAttachedDeviceReference(DeviceObject device) {
    throw unsupported("IoGetAttachedDeviceReference");
  }

  @Override
  public DeviceObject getDeviceAttachmentBaseRef(DeviceObject device) {
    throw unsupported("IoGetDeviceAttachmentBaseRef");
  }

  @Override
  public DeviceList enumerateDeviceObjectList(DriverObject driver, int capacity) {
    throw unsupported("IoEnumerateDeviceObjectList");
  }

  @Override
  public void registerFileSystem(DeviceObject device) {
    throw unsupported("IoRegisterFileSystem");
  }

  @Override
  public void unregisterFileSystem(DeviceObject device) {
    throw unsupported("IoUnregisterFileSystem");
  }

  @Override
  public NtStatus registerShutdownNotification(DeviceObject device) {
    throw unsupported("IoRegisterShutdownNotification");
  }

  @Override
  public void unregisterShutdownNotification(DeviceObject device) {
    throw unsupported("IoUnregisterShutdownNotification");
  }

  @Override
  public DeviceObjectPointer getDeviceObjectPointer(UnicodeString name, int desiredAccess) {
    throw unsupported("IoGetDeviceObjectPointer");
  }

  @Override
  public Irp allocateIrp(int stackSize, byte[] systemBuffer) {
    throw unsupported("IoAllocateIrp");
  }

  @Override
  public void freeIrp(Irp irp) {
    throw unsupported("IoFreeIrp");
  }

  @Override
  public BuiltRequest buildDeviceIoControlRequest(int ioControlCode, DeviceObject device, byte[] input,
      int outputLength, boolean internal) {
    throw unsupported("IoBuildDeviceIoControlRequest");
  }

  @Override
  public BuiltRequest buildSynchronousFsdRequest(int majorFunction, DeviceObject device, byte[] buffer,
      int length, long byteOffset) {
    throw unsupported("IoBuildSynchronousFsdRequest");
  }

  @Override
  public NtStatus checkShareAccess(int desiredAccess, int desiredShareAccess, FileObject file,
      ShareAccess share, boolean update) {
    throw unsupported("IoCheckShareAccess");
  }

  @Override
  public void removeShareAccess(FileObject file, ShareAccess share) {
    throw unsupported("IoRemoveShareAccess");
  }

  @Override
  public NtStatus allocateDriverObjectExtension(DriverObject driver, Object clientId, Supplier<?> extension) {
    throw unsupported("IoAllocateDriverObjectExtension");
  }

  @Override
  public Object getDriverObjectExtension(DriverObject driver, Object clientId) {
    throw unsupported("IoGetDriverObjectExtension");
  }

  @Override
  public NtStatus createSymbolicLink(UnicodeString linkName, UnicodeString target) {
    throw unsupported("IoCreateSymbolicLink");
  }

  @Override
  public NtStatus deleteSymbolicLink(UnicodeString linkName) {
    throw unsupported("IoDeleteSymbolicLink");
  }

  @Override
  public ObjectResult referenceObjectByName(UnicodeString name, ObjectKind kind) {
    throw unsupported("ObReferenceObjectByName");
  }

  @Override
  public void referenceObject(Object object) {
    throw unsupported("ObReferenceObject");
  }

  @Override
  public void dereferenceObject(Object object) {
    throw unsupported("ObDereferenceObject");
  }

  @Override
  public HandleResult createKey(UnicodeString keyName, int desiredAccess, int options) {
    throw unsupported("ZwCreateKey");
  }

  @Override
  public NtStatus setValueKey(Handle key, RegValue value) {
    throw unsupported("ZwSetValueKey");
  }

  @Override
  public DriverResult createDriver(UnicodeString driverName, DriverEntry initialize) {
    throw unsupported("IoCreateDriver");
  }

  @Override
  public void deleteDriver(DriverObject driver) {
    throw unsupported("IoDeleteDriver");
  }

  @Override
  public NtStatus loadDriver(UnicodeString serviceKey) {
    throw unsupported("ZwLoadDriver");
  }

  @Override
  public NtStatus unloadDriver(UnicodeString serviceKey) {
    throw unsupported("ZwUnloadDriver");
  }

  @Override
  public NtStatus queueWorkItem(DeviceObject device, Runnable routine) {
    throw unsupported("IoQueueWorkItem");
  }

  @Override
  public NtStatus queueExWorkItem(Runnable routine) {
    throw unsupported("ExQueueWorkItem");
  }

  @Override
  public KernelTimer initializeTimer(Runnable deferredRoutine) {
    throw unsupported("KeInitializeTimer");
  }

  @Override
  public ThreadResult createSystemThread(Runnable startRoutine) {
    throw unsupported("PsCreateSystemThread");
  }

  @Override
  public TraceResult registerTraceProvider(UUID providerId) {
    throw unsupported("EtwRegister");
  }

  @Override
  public NtStatus unregisterTraceProvider(TraceProvider provider) {
    throw unsupported("EtwUnregister");
  }
}
