package ntio.kernel.io;

/**
 * The kinds of call through which the kernel enters driver code ({@link IoManager#callDriver}),
 * told apart by what NT checks of the IRQL the routine returns at ({@link DoorChecks}).
 *
 * <ul>
 *   <li>{@link #DISPATCH}: {@code IofCallDriver} does not check; Driver Verifier's I/O
 *       verification does (0xC9/0x05).
 *   <li>{@link #COMPLETION}, {@link #CANCEL}, {@link #OTHER}: no check at the door; the thread
 *       stays where the routine left it and the next check on the thread (a system service's
 *       return, a worker's) names the driver.
 *   <li>{@link #WORK_ITEM}, {@link #DRIVER_ENTRY}, {@link #DRIVER_UNLOAD}, {@link #ADD_DEVICE}:
 *       run on NT's system worker threads, whose loop checks every item ({@code
 *       WORKER_THREAD_RETURNED_AT_BAD_IRQL}, 0xE1).
 *   <li>{@link #SYSTEM_THREAD}: a thread's start routine, checked when it returns (0xC8).
 * </ul>
 */
enum DriverDoor {
  /** A dispatch routine (IoCallDriver). */
  DISPATCH,
  /** A completion routine (IoCompleteRequest). */
  COMPLETION,
  /** A cancel routine (IoCancelIrp). */
  CANCEL,
  /** A work item's routine (IoQueueWorkItem, ExQueueWorkItem). */
  WORK_ITEM,
  /** A System thread's start routine (PsCreateSystemThread). */
  SYSTEM_THREAD,
  /** DriverEntry. */
  DRIVER_ENTRY,
  /** DriverUnload. */
  DRIVER_UNLOAD,
  /** AddDevice. */
  ADD_DEVICE,
  /** Any other callback (a DPC, a rundown callback): no check of its own at the door. */
  OTHER
}
