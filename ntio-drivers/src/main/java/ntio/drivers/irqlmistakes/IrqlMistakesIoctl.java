package ntio.drivers.irqlmistakes;

import ntio.ddk.DeviceTypes;
import ntio.ddk.IoControlCodes;

/**
 * The names and control codes a client of the IrqlMistakes driver uses (its {@code public.h}).
 * Every control code makes one mistake (see {@link IrqlMistakes}); none takes input or returns
 * output. Each is {@code CTL_CODE(FILE_DEVICE_UNKNOWN, function, METHOD_BUFFERED,
 * FILE_ANY_ACCESS)}, functions from 0x900.
 */
public final class IrqlMistakesIoctl {

  private IrqlMistakesIoctl() {}

  /** The device the driver creates: {@code \Device\IrqlMistakes}. */
  public static final String DEVICE_NAME = "\\Device\\IrqlMistakes";

  /** Raises to DISPATCH_LEVEL, then "raises" to PASSIVE_LEVEL: {@link IrqlMistakes#raiseBelow}. */
  public static final int IOCTL_RAISE_BELOW = code(0x900);

  /** Lowers to DISPATCH_LEVEL from PASSIVE_LEVEL: {@link IrqlMistakes#lowerAbove}. */
  public static final int IOCTL_LOWER_ABOVE = code(0x901);

  /** Waits 10 ms for an event at DISPATCH_LEVEL: {@link IrqlMistakes#waitAtDispatch}. */
  public static final int IOCTL_WAIT_AT_DISPATCH = code(0x902);

  /** Allocates paged pool holding a spin lock: {@link IrqlMistakes#pagedAllocationUnderSpinLock}. */
  public static final int IOCTL_PAGED_ALLOCATION_UNDER_SPIN_LOCK = code(0x903);

  /** Reads paged pool at DISPATCH_LEVEL: {@link IrqlMistakes#pagedDataAtDispatch}. */
  public static final int IOCTL_PAGED_DATA_AT_DISPATCH = code(0x904);

  /** Runs code marked pageable at DISPATCH_LEVEL: {@link IrqlMistakes#pagedCodeAtDispatch}. */
  public static final int IOCTL_PAGED_CODE_AT_DISPATCH = code(0x905);

  /** Releases a spin lock twice: {@link IrqlMistakes#releaseSpinLockTwice}. */
  public static final int IOCTL_RELEASE_SPIN_LOCK_TWICE = code(0x906);

  /** Returns holding the cancel spin lock: {@link IrqlMistakes#keepCancelSpinLock}. */
  public static final int IOCTL_KEEP_CANCEL_SPIN_LOCK = code(0x907);

  /** Opens a registry key holding a spin lock: {@link IrqlMistakes#registryUnderSpinLock}. */
  public static final int IOCTL_REGISTRY_UNDER_SPIN_LOCK = code(0x908);

  /** Queues a work item that returns at DISPATCH_LEVEL: {@link IrqlMistakes#workItemReturnsRaised}. */
  public static final int IOCTL_WORK_ITEM_RETURNS_RAISED = code(0x909);

  private static int code(int function) {
    return IoControlCodes.ctlCode(DeviceTypes.FILE_DEVICE_UNKNOWN, function,
        IoControlCodes.METHOD_BUFFERED, IoControlCodes.FILE_ANY_ACCESS);
  }
}
