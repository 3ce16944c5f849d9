package ntio.kernel.io;

import java.util.function.Supplier;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.FileObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.ShareAccess;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.verifier.VerifiedImage;
import ntio.kernel.verifier.Verifier;

/**
 * A verified image's import table: the verifier's thunks around the kernel's own routines ({@link
 * ImageImports}), as Driver Verifier patches a verified driver's import table so that the calls it
 * checks reach the verifier first. {@code DriverLoading} installs it for a load the verifier
 * verifies; an unverified image's table is the {@code ImageImports} alone.
 *
 * <p>Thunked: {@code ExAllocatePoolWithTag} and {@code ExFreePoolWithTag} go through the verifier's
 * pool checks and tracking ({@link Verifier#allocatePool}, {@link Verifier#freePool}: DV5), and
 * the low resources simulations may fail them, {@code IoAllocateIrp} and {@code IoCreateDevice}
 * (DV6, DV7). Each thunk passes the same gate and argument checks as the routine it wraps before
 * the verifier sees the call, so a call the routine would refuse is refused the same way. Every
 * other routine is the kernel's own, unchanged.
 */
final class VerifierThunks implements ImageServices {

  private final ImageImports imports;
  private final VerifiedImage verified;
  private final Verifier verifier;

  VerifierThunks(ImageImports imports, VerifiedImage verified) {
    this.imports = imports;
    this.verified = verified;
    this.verifier = imports.io().verifier;
  }

  @Override
  public VerifiedImage verified() {
    return verified;
  }

  // The thunks ------------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * @implNote [MODEL] NT allocates the device object and its extension from non-paged pool, so
   *     the verifier's low resources simulations may fail the call; ntio has no pool behind a
   *     device object, and lets the simulations consider the call as one allocation tagged {@code
   *     Devi} ({@link Verifier#DEVICE_OBJECT_TAG}). A failed call returns {@code
   *     STATUS_INSUFFICIENT_RESOURCES} and no device, as NT does when the allocation fails.
   */
  @Override
  public DeviceResult createDevice(DriverObject owner, Object extension, UnicodeString name, int deviceType,
      int characteristics, boolean exclusive) {
    if (!imports.enter("IoCreateDevice")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    imports.arguments().ownDriver(owner, "IoCreateDevice");
    if (verifier.injectFault(verified, "IoCreateDevice", Verifier.DEVICE_OBJECT_TAG)) {
      return new DeviceResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    return imports.createDevice(owner, extension, name, deviceType, characteristics, exclusive);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote The low resources simulations may fail the call (DV6, DV7), as they do {@code
   *     IoAllocateIrp} on NT since Vista: it then returns null, NT's NULL IRP. The simulation's tag
   *     filter sees the IRP as tagged {@code Irp } ({@link Verifier#IRP_TAG}), NT's tag for IRPs.
   */
  @Override
  public Irp allocateIrp(int stackSize, byte[] systemBuffer) {
    if (!imports.enter("IoAllocateIrp")) {
      return null;
    }
    imports.arguments().requireStackLocation(stackSize);
    if (verifier.injectFault(verified, "IoAllocateIrp", Verifier.IRP_TAG)) {
      return null;
    }
    return imports.allocateIrp(stackSize, systemBuffer);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote The call goes through the verifier ({@link Verifier#allocatePool}): a zero tag, a
   *     tag with no letter or digit and a zero size are bug checks there (DV5), and the low
   *     resources simulations may fail the call with {@code STATUS_INSUFFICIENT_RESOURCES} (DV6,
   *     DV7).
   */
  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag) {
    return allocatePoolWithTag(type, size, tag, null);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote With a null site a tracked allocation records its stack instead.
   */
  @Override
  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag, String callingSite) {
    if (!imports.enter("ExAllocatePoolWithTag")) {
      return new PoolResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (type == null) {
      return new PoolResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    AllocationResult result =
        verifier.allocatePool(verified, type, size, tag, imports.poolOwner(), callingSite);
    return new PoolResult(result.status(), result.allocation());
  }

  /**
   * {@inheritDoc}
   *
   * @implNote The call goes through the verifier ({@link Verifier#freePool}): a block no
   *     allocation of the image returned is bug check 0xC4/0x10, a second free 0xC4/0x13 (DV5).
   */
  @Override
  public void freePoolWithTag(PoolBlock block, int tag) {
    imports.checkLoaded("ExFreePoolWithTag");
    verifier.freePool(verified, block, tag, imports.poolOwner());
  }

  // The kernel's own routines ---------------------------------------------------------------------

  @Override
  public void markUnloaded() {
    imports.markUnloaded();
  }

  @Override
  public ImageResources resources() {
    return imports.resources();
  }

  @Override
  public String driverName() {
    return imports.driverName();
  }

  @Override
  public void deleteDevice(DeviceObject device) {
    imports.deleteDevice(device);
  }

  @Override
  public DeviceResult attachDeviceToDeviceStack(DeviceObject source, DeviceObject target) {
    return imports.attachDeviceToDeviceStack(source, target);
  }

  @Override
  public DeviceResult attachDevice(DeviceObject source, UnicodeString targetName) {
    return imports.attachDevice(source, targetName);
  }

  @Override
  public void detachDevice(DeviceObject target) {
    imports.detachDevice(target);
  }

  @Override
  public DeviceObject getLowerDeviceObject(DeviceObject device) {
    return imports.getLowerDeviceObject(device);
  }

  @Override
  public DeviceObject getRelatedDeviceObject(ntio.ddk.FileObject file) {
    return imports.getRelatedDeviceObject(file);
  }

  @Override
  public DeviceObject getAttachedDeviceReference(DeviceObject device) {
    return imports.getAttachedDeviceReference(device);
  }

  @Override
  public DeviceObject getDeviceAttachmentBaseRef(DeviceObject device) {
    return imports.getDeviceAttachmentBaseRef(device);
  }

  @Override
  public DeviceList enumerateDeviceObjectList(DriverObject owner, int capacity) {
    return imports.enumerateDeviceObjectList(owner, capacity);
  }

  @Override
  public void registerFileSystem(DeviceObject device) {
    imports.registerFileSystem(device);
  }

  @Override
  public void unregisterFileSystem(DeviceObject device) {
    imports.unregisterFileSystem(device);
  }

  @Override
  public void completeRequest(Irp irp, int priorityBoost) {
    imports.completeRequest(irp, priorityBoost);
  }

  @Override
  public NtStatus callDriver(DeviceObject device, Irp irp) {
    return imports.callDriver(device, irp);
  }

  @Override
  public NtStatus checkShareAccess(int desiredAccess, int desiredShareAccess, FileObject file,
      ShareAccess share, boolean update) {
    return imports.checkShareAccess(desiredAccess, desiredShareAccess, file, share, update);
  }

  @Override
  public void removeShareAccess(FileObject file, ShareAccess share) {
    imports.removeShareAccess(file, share);
  }

  @Override
  public DeviceObjectPointer getDeviceObjectPointer(UnicodeString name, int desiredAccess) {
    return imports.getDeviceObjectPointer(name, desiredAccess);
  }

  @Override
  public ntio.ddk.BuiltRequest buildDeviceIoControlRequest(int ioControlCode, DeviceObject device,
      byte[] input, int outputLength, boolean internal) {
    return imports.buildDeviceIoControlRequest(ioControlCode, device, input, outputLength, internal);
  }

  @Override
  public ntio.ddk.BuiltRequest buildSynchronousFsdRequest(int majorFunction, DeviceObject device,
      byte[] buffer, int length, long byteOffset) {
    return imports.buildSynchronousFsdRequest(majorFunction, device, buffer, length, byteOffset);
  }

  @Override
  public void freeIrp(Irp irp) {
    imports.freeIrp(irp);
  }

  @Override
  public NtStatus registerShutdownNotification(DeviceObject device) {
    return imports.registerShutdownNotification(device);
  }

  @Override
  public void unregisterShutdownNotification(DeviceObject device) {
    imports.unregisterShutdownNotification(device);
  }

  @Override
  public boolean cancelIrp(Irp irp) {
    return imports.cancelIrp(irp);
  }

  @Override
  public NtStatus allocateDriverObjectExtension(DriverObject owner, Object clientId, Supplier<?> extension) {
    return imports.allocateDriverObjectExtension(owner, clientId, extension);
  }

  @Override
  public Object getDriverObjectExtension(DriverObject owner, Object clientId) {
    return imports.getDriverObjectExtension(owner, clientId);
  }

  @Override
  public NtStatus createSymbolicLink(UnicodeString linkName, UnicodeString target) {
    return imports.createSymbolicLink(linkName, target);
  }

  @Override
  public NtStatus deleteSymbolicLink(UnicodeString linkName) {
    return imports.deleteSymbolicLink(linkName);
  }

  @Override
  public ObjectResult referenceObjectByName(UnicodeString name, ObjectKind kind) {
    return imports.referenceObjectByName(name, kind);
  }

  @Override
  public void referenceObject(Object object) {
    imports.referenceObject(object);
  }

  @Override
  public void dereferenceObject(Object object) {
    imports.dereferenceObject(object);
  }

  @Override
  public HandleResult openKey(UnicodeString keyName, int desiredAccess) {
    return imports.openKey(keyName, desiredAccess);
  }

  @Override
  public HandleResult createKey(UnicodeString keyName, int desiredAccess, int options) {
    return imports.createKey(keyName, desiredAccess, options);
  }

  @Override
  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    return imports.queryValueKey(key, valueName);
  }

  @Override
  public NtStatus setValueKey(Handle key, RegValue value) {
    return imports.setValueKey(key, value);
  }

  @Override
  public NtStatus close(Handle handle) {
    return imports.close(handle);
  }

  @Override
  public DriverResult createDriver(UnicodeString driverName, ntio.ddk.DriverEntry initialize) {
    return imports.createDriver(driverName, initialize);
  }

  @Override
  public void deleteDriver(DriverObject builtin) {
    imports.deleteDriver(builtin);
  }

  @Override
  public NtStatus loadDriver(UnicodeString serviceKey) {
    return imports.loadDriver(serviceKey);
  }

  @Override
  public NtStatus unloadDriver(UnicodeString serviceKey) {
    return imports.unloadDriver(serviceKey);
  }

  @Override
  public NtStatus queueWorkItem(DeviceObject device, Runnable routine) {
    return imports.queueWorkItem(device, routine);
  }

  @Override
  public NtStatus queueExWorkItem(Runnable routine) {
    return imports.queueExWorkItem(routine);
  }

  @Override
  public ntio.ddk.KernelTimer initializeTimer(Runnable deferredRoutine) {
    return imports.initializeTimer(deferredRoutine);
  }

  @Override
  public ThreadResult createSystemThread(Runnable startRoutine) {
    return imports.createSystemThread(startRoutine);
  }

  @Override
  public TraceResult registerTraceProvider(java.util.UUID providerId) {
    return imports.registerTraceProvider(providerId);
  }

  @Override
  public NtStatus unregisterTraceProvider(ntio.ddk.TraceProvider provider) {
    return imports.unregisterTraceProvider(provider);
  }

  @Override
  public RuntimeException bugCheckEx(int code, long p1, long p2, long p3, long p4, String message) {
    return imports.bugCheckEx(code, p1, p2, p3, p4, message);
  }

  @Override
  public boolean isDriverVerifying(DriverObject driverObject) {
    return imports.isDriverVerifying(driverObject);
  }

  @Override
  public void verifierBreak(String check, String message) {
    imports.verifierBreak(check, message);
  }
}
