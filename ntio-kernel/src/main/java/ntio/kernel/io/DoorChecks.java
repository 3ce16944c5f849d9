package ntio.kernel.io;

import ntio.ddk.Irql;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.ke.IrqlState;
import ntio.kernel.ke.Irqls;

/**
 * What the kernel checks when driver code it called returns at another IRQL, or holding another
 * number of spin locks, than it was entered with: the check NT makes at that door, if any ({@link
 * DriverDoor}). Called by {@link IoManager#callDriver} only when the thread's state changed, so a
 * well-behaved call costs two field compares.
 *
 * <ul>
 *   <li>A work item, and DriverEntry, DriverUnload and AddDevice, which NT runs on its system
 *       worker threads ({@code IopLoadUnloadDriver} is queued to a worker by {@code NtLoadDriver}
 *       and {@code NtUnloadDriver}, ReactOS {@code ntoskrnl/io/iomgr/driver.c}; the PnP manager's
 *       device actions run as a work item, {@code ntoskrnl/io/pnpmgr/devaction.c}): bug check 0xE1
 *       {@code WORKER_THREAD_RETURNED_AT_BAD_IRQL} (P1 the routine, P2 the IRQL, P3 its parameter,
 *       P4 the work item; ntio's P3 and P4 are 0), as ReactOS's {@code ExpWorkerThreadEntryPoint}
 *       ({@code ntoskrnl/ex/work.c}) raises it after each item.
 *   <li>A System thread's start routine: [MODEL] 0xC8 {@code IRQL_UNEXPECTED_VALUE} (P1 = current
 *       IRQL &lt;&lt; 16 | expected &lt;&lt; 8), NT's code for "the IRQL is not what it must be here"; the
 *       thread ends anyway.
 *   <li>A dispatch routine: ReactOS's {@code IofCallDriver} ({@code ntoskrnl/io/iomgr/irp.c})
 *       checks nothing; Driver Verifier's I/O verification (0x10) raises 0xC9 {@code
 *       DRIVER_VERIFIER_IOMANAGER_VIOLATION} with P1 0x05, "the IRQL changed during a call to the
 *       driver dispatch routine" (P2 the device, P3 the IRQL before, P4 after). Without it, as for
 *       completion and cancel routines (neither {@code IopfCompleteRequest} nor {@code IoCancelIrp}
 *       checks), the thread stays raised and the next check names the driver ({@link
 *       Irqls#leftRaised}): a client's system service returning ({@code
 *       IRQL_GT_ZERO_AT_SYSTEM_SERVICE}, 0x4A) or a worker's.
 * </ul>
 *
 * <p>A thread the kernel lends to driver code is put back to the level it was entered at before
 * any of these bug checks is raised, so it never stays raised after one.
 */
final class DoorChecks {

  /** 0xC9's first parameter: the IRQL changed across a dispatch routine. */
  static final int IRQL_CHANGED_IN_DISPATCH = 0x05;

  private DoorChecks() {}

  /**
   * The routine {@code driver} was called through {@code door} returned with {@code state} no
   * longer at {@code entry} and {@code entryLocks}.
   *
   * @param subject what the bug check's parameters name: the device for a dispatch routine, the
   *     routine for a work item; may be null
   */
  static void returnedChanged(IoManager io, KernelDriverObject driver, DriverDoor door, Object subject,
      IrqlState state, Irql entry, int entryLocks) {
    Irqls irqls = io.irqls;
    Irql now = state.irql();
    int locks = state.spinLocksHeld();
    String name = driver.serviceName();
    switch (door) {
      case WORK_ITEM, DRIVER_ENTRY, DRIVER_UNLOAD, ADD_DEVICE -> {
        irqls.restore(state, entry, entryLocks);
        throw irqls.violation(BugCheck.WORKER_THREAD_RETURNED_AT_BAD_IRQL, identity(subject), now.level(),
            0, 0, name, describe(door) + " of " + driver.describe() + " returned at " + now + " holding "
                + locks + " spin lock(s); it was called at " + entry);
      }
      case SYSTEM_THREAD -> {
        irqls.restore(state, entry, entryLocks);
        throw irqls.violation(BugCheck.IRQL_UNEXPECTED_VALUE,
            ((long) now.level() << 16) | ((long) entry.level() << 8), 0, 0, 0, name,
            "the System thread of " + driver.describe() + " returned at " + now + " holding " + locks
                + " spin lock(s); it was started at " + entry);
      }
      case DISPATCH -> {
        if (now != entry && ioVerified(driver)) {
          irqls.restore(state, entry, entryLocks);
          throw irqls.violation(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, IRQL_CHANGED_IN_DISPATCH,
              identity(subject), entry.level(), now.level(), name, "the dispatch routine of "
                  + driver.describe() + " returned at " + now + "; IoCallDriver called it at " + entry
                  + " (I/O verification)");
        }
        irqls.leftRaised(state, name);
      }
      default -> irqls.leftRaised(state, name);
    }
  }

  private static boolean ioVerified(KernelDriverObject driver) {
    return driver.services() instanceof ImageServices services && services.verified() != null
        && services.verified().verifiesIo();
  }

  private static long identity(Object subject) {
    return subject == null ? 0 : System.identityHashCode(subject);
  }

  private static String describe(DriverDoor door) {
    return switch (door) {
      case DRIVER_ENTRY -> "DriverEntry";
      case DRIVER_UNLOAD -> "DriverUnload";
      case ADD_DEVICE -> "AddDevice";
      default -> "the work item";
    };
  }
}
