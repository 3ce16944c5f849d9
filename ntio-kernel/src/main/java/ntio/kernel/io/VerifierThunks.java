package ntio.kernel.io;

import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.Irp;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.verifier.VerifiedImage;
import ntio.kernel.verifier.Verifier;

/**
 * A verified image's import table: the verifier's thunks around the kernel's own routines ({@link
 * ImageImports}), as Driver Verifier patches a verified driver's import table so that the calls it
 * checks reach the verifier first. {@code DriverLoading} installs it for a load the verifier
 * verifies; an unverified image's table is the {@code ImageImports} alone. It is the kernel's
 * table with the thunked routines overridden, so every routine it does not thunk is the kernel's
 * own, unchanged, by inheritance rather than by a pass-through per routine.
 *
 * <p>Thunked: {@code ExAllocatePoolWithTag} and {@code ExFreePoolWithTag} go through the verifier's
 * pool checks and tracking ({@link Verifier#allocatePool}, {@link Verifier#freePool}: DV5), and
 * the low resources simulations may fail them, {@code IoAllocateIrp} and {@code IoCreateDevice}
 * (DV6, DV7); an armed fault sweep may fail any of these and {@code IoAttachDeviceToDeviceStack}
 * ({@link Verifier#armFaultSweep}). The pool thunks also give the verifier's IRQL codes (0xC4/0x01,
 * 0x02, 0x11, 0x12) and, with Force IRQL checking, make the image's paged blocks fault at
 * DISPATCH_LEVEL ({@link ImageIrqlRules}). Each thunk passes the same gate and argument checks as the routine it wraps before
 * the verifier sees the call, so a call the routine would refuse is refused the same way. Every
 * other routine is the kernel's own, unchanged.
 */
final class VerifierThunks extends ImageImports {

  private final VerifiedImage verified;
  private final Verifier verifier;

  VerifierThunks(IoManager io, KernelDriverObject driver, VerifiedImage verified) {
    super(io, driver);
    this.verified = verified;
    this.verifier = io.verifier;
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
    if (!enterAtPassive("IoCreateDevice")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    arguments().ownDriver(owner, "IoCreateDevice");
    if (verifier.injectFault(verified, "IoCreateDevice", Verifier.DEVICE_OBJECT_TAG)) {
      return new DeviceResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    return super.createDevice(owner, extension, name, deviceType, characteristics, exclusive);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote [MODEL] Only an armed fault sweep ({@link Verifier#armFaultSweep}) fails the call,
   *     after the same gate and argument checks: it then returns {@code STATUS_NO_SUCH_DEVICE} and
   *     attaches nothing, as {@code IoAttachDeviceToDeviceStackSafe} answers for a target being
   *     deleted, so that a sweep over AddDevice reaches the driver's handling of a failed attach.
   *     Windows' low resources simulations do not fail it, and neither do ntio's (DV6, DV7).
   */
  @Override
  public DeviceResult attachDeviceToDeviceStack(DeviceObject source, DeviceObject target) {
    if (!enter("IoAttachDeviceToDeviceStackSafe")) {
      return new DeviceResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    arguments().device(source, "IoAttachDeviceToDeviceStackSafe");
    arguments().device(target, "IoAttachDeviceToDeviceStackSafe");
    if (verifier.injectSweptFault(verified)) {
      return new DeviceResult(NtStatus.STATUS_NO_SUCH_DEVICE, null);
    }
    return super.attachDeviceToDeviceStack(source, target);
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
    if (!enter("IoAllocateIrp")) {
      return null;
    }
    arguments().requireStackLocation(stackSize);
    if (verifier.injectFault(verified, "IoAllocateIrp", Verifier.IRP_TAG)) {
      return null;
    }
    return super.allocateIrp(stackSize, systemBuffer);
  }

  /**
   * {@code ExAllocatePoolWithTag}'s allocation, once the kernel's gate and argument checks passed
   * ({@link ImageImports#allocatePoolWithTag}): it goes through the verifier ({@link
   * Verifier#allocatePool}), where a zero tag, a tag with no letter or digit and a zero size are
   * bug checks (DV5), and the low resources simulations may fail it with {@code
   * STATUS_INSUFFICIENT_RESOURCES} (DV6, DV7). With a null site a tracked allocation records its
   * stack instead.
   */
  @Override
  AllocationResult allocate(PoolType type, long size, int tag, String callingSite) {
    AllocationResult result = verifier.allocatePool(verified, type, size, tag, poolOwner(), callingSite);
    irqlRules.guardIfPageable(result.allocation());
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * @implNote The call goes through the verifier ({@link Verifier#freePool}): a block no
   *     allocation of the image returned is bug check 0xC4/0x10, a second free 0xC4/0x13 (DV5).
   */
  @Override
  public void freePoolWithTag(PoolBlock block, int tag) {
    checkLoaded("ExFreePoolWithTag");
    irqlRules.checkFree(block);
    verifier.freePool(verified, block, tag, poolOwner());
  }
}
