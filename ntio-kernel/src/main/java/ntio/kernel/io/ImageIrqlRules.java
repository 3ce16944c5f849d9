package ntio.kernel.io;

import java.time.Duration;
import ntio.ddk.Irql;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.KEvent;
import ntio.kernel.executive.PagedAccessCheck;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.ke.IrqlState;
import ntio.kernel.verifier.VerifiedImage;

/**
 * The IRQL rules NT enforces on one image's calls, each where NT enforces it and with NT's bug
 * check, named after the image and ending with the driver's source line ({@link
 * ntio.kernel.ke.Irqls#violation}). Each rule is a test of the calling thread's IRQL, a
 * thread-local read, made only by the routines the rule is about.
 *
 * <p>Two kinds of check, as on Windows:
 *
 * <ul>
 *   <li><b>What the kernel always checks</b>: pageable kernel code entered at DISPATCH_LEVEL
 *       ({@link #requirePassive}), a pool call at a level its pool cannot be used at ({@link
 *       #checkAllocate}, {@link #checkFree}), a wait that would block at DISPATCH_LEVEL ({@link
 *       #await}). A verified image gets the verifier's own codes for the pool and {@code KeSetEvent}
 *       (its automatic checks, on for every verified image: spec DV3, DV5).
 *   <li><b>What Force IRQL checking adds</b> (the verifier's flag 0x2, {@link
 *       VerifiedImage#checksIrql()}, DV9): Windows makes a verified driver's pageable memory
 *       invalid each time the IRQL rises, so a mistake that otherwise hides while the page happens
 *       to be resident faults every time. ntio models it as: pageable data touched at DISPATCH_LEVEL
 *       or above ({@link #touched}), pageable code run there ({@link #pagedCode}), and a
 *       non-polling wait at DISPATCH_LEVEL even on a signalled object, are each a bug check every
 *       time.
 * </ul>
 *
 * <p>Thread-safe: it keeps no state of its own; the image's verifier record is read at each check
 * (it is set for the image's load before any of its code runs).
 */
final class ImageIrqlRules implements PagedAccessCheck {

  /** BAD_POOL_CALLER's P1 for an allocation at a bad IRQL ({@code POOL_ALLOC_IRQL_INVALID}). */
  static final int POOL_ALLOC_IRQL_INVALID = 0x08;

  /** BAD_POOL_CALLER's P1 for a free at a bad IRQL ({@code POOL_FREE_IRQL_INVALID}). */
  static final int POOL_FREE_IRQL_INVALID = 0x09;

  /** 0xC4's P1: paged pool allocated above APC_LEVEL. */
  static final int PAGED_ALLOCATION_ABOVE_APC = 0x01;

  /** 0xC4's P1: non-paged pool allocated above DISPATCH_LEVEL. */
  static final int NONPAGED_ALLOCATION_ABOVE_DISPATCH = 0x02;

  /** 0xC4's P1: paged pool freed above APC_LEVEL. */
  static final int PAGED_FREE_ABOVE_APC = 0x11;

  /** 0xC4's P1: non-paged pool freed above DISPATCH_LEVEL. */
  static final int NONPAGED_FREE_ABOVE_DISPATCH = 0x12;

  /** 0xC4's P1: {@code KeSetEvent} above DISPATCH_LEVEL. */
  static final int SET_EVENT_ABOVE_DISPATCH = 0x80;

  /** 0xA's and 0xD1's P3: the fault was an instruction fetch (bit 3). */
  static final int EXECUTE = 0x8;

  /** Where ntio places the pageable code of the kernel and of images in bug check parameters. */
  private static final long CODE_BASE = 0xFFFFF800_00000000L;

  private final IoManager io;
  private final ImageServices image;

  ImageIrqlRules(IoManager io, ImageServices image) {
    this.io = io;
    this.image = image;
  }

  private boolean verified() {
    return image.verified() != null;
  }

  private boolean forcesIrqlChecking() {
    VerifiedImage verified = image.verified();
    return verified != null && verified.checksIrql();
  }

  private Irql irql() {
    return io.irqls.current();
  }

  private RuntimeException violation(int code, long p1, long p2, long p3, long p4, String what) {
    throw io.irqls.violation(code, p1, p2, p3, p4, image.driverName(), image.driverName() + " " + what);
  }

  /**
   * The rule of a routine that runs only at PASSIVE_LEVEL: the registry's and the object
   * manager's routines ({@code ZwOpenKey}, {@code ZwClose}, {@code ObReferenceObjectByName}…),
   * {@code IoCreateDevice}, {@code ZwLoadDriver}, {@code PsCreateSystemThread}, {@code
   * EtwRegister}. Called at each such routine's top; above PASSIVE_LEVEL it is bug check 0xA
   * {@code IRQL_NOT_LESS_OR_EQUAL}: P1 the routine's (pageable) code, P2 the IRQL, P3 8 (an
   * instruction fetch), P4 the same address.
   *
   * <p>Why 0xA: those routines are the kernel's pageable code ({@code #pragma alloc_text(PAGE, …)}
   * in the registry, object manager and I/O manager), and Windows documents each "IRQL =
   * PASSIVE_LEVEL" (MicrosoftDocs: ZwOpenKey, ZwClose, IoCreateDevice, IoGetDeviceObjectPointer,
   * ZwLoadDriver, PsCreateSystemThread, EtwRegister…). Entered at DISPATCH_LEVEL with its page
   * out, the fetch faults in the kernel's own code, and a fault in the kernel at a raised IRQL is
   * 0xA (0xD1 is for a fault in a driver).
   *
   * @implNote [MODEL] On Windows such a call at APC_LEVEL, or at DISPATCH_LEVEL while the page is
   *     resident, often goes through (and may deadlock later); only Driver Verifier's DDI
   *     compliance rules ({@code IrqlZwPassive}, 0xC4/0x2001F) catch it every time. ntio makes it
   *     0xA at every level above PASSIVE_LEVEL, with or without the verifier, so that the mistake
   *     never hides.
   */
  void requirePassive(String routine) {
    Irql irql = irql();
    if (irql != Irql.PASSIVE_LEVEL) {
      long code = codeAddress(routine);
      throw violation(BugCheck.IRQL_NOT_LESS_OR_EQUAL, code, irql.level(), EXECUTE, code,
          "called " + routine + " at " + irql + ": " + routine + " runs only at PASSIVE_LEVEL"
              + " (the kernel's pageable code)");
    }
  }

  /**
   * The rule of {@code ExAllocatePoolWithTag}: paged pool at most at APC_LEVEL, non-paged at most
   * at DISPATCH_LEVEL. Broken, it is bug check 0xC2 {@code BAD_POOL_CALLER} P1 0x08 (P2 the IRQL,
   * P3 the pool type, P4 the size), as ReactOS's {@code ExpCheckPoolIrqlLevel} (expool.c) raises
   * it; for a verified image the verifier's 0xC4 P1 0x01 (paged) or 0x02 (non-paged), same P2-P4,
   * as its thunk checks before the pool does (DV5).
   */
  void checkAllocate(PoolType type, long size) {
    Irql irql = irql();
    if (isBadPoolIrql(type, irql)) {
      String what = "allocated " + size + " bytes of " + type + " pool at " + irql;
      if (verified()) {
        throw violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION,
            type.isPaged() ? PAGED_ALLOCATION_ABOVE_APC : NONPAGED_ALLOCATION_ABOVE_DISPATCH,
            irql.level(), type.ntValue(), size, what);
      }
      throw violation(BugCheck.BAD_POOL_CALLER, POOL_ALLOC_IRQL_INVALID, irql.level(),
          type.ntValue(), size, what);
    }
  }

  /**
   * The rule of {@code ExFreePoolWithTag}: as {@link #checkAllocate}, with 0xC2 P1 0x09 (P4 the
   * block's address), or for a verified image 0xC4 P1 0x11 (paged) or 0x12 (non-paged).
   */
  void checkFree(PoolBlock block) {
    Irql irql = irql();
    if (block != null && isBadPoolIrql(block.type(), irql)) {
      PoolType type = block.type();
      String what = "freed " + type + " pool at " + irql + " (" + block + ")";
      if (verified()) {
        throw violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION,
            type.isPaged() ? PAGED_FREE_ABOVE_APC : NONPAGED_FREE_ABOVE_DISPATCH,
            irql.level(), type.ntValue(), block.address(), what);
      }
      throw violation(BugCheck.BAD_POOL_CALLER, POOL_FREE_IRQL_INVALID, irql.level(),
          type.ntValue(), block.address(), what);
    }
  }

  private static boolean isBadPoolIrql(PoolType type, Irql irql) {
    return irql.isAbove(type.isPaged() ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL);
  }

  /**
   * Has a block the image just allocated checked at each touch, when Force IRQL checking is on
   * and the block is pageable ({@link #touched}).
   */
  void guardIfPageable(PoolAllocation block) {
    if (block != null && block.type().isPaged() && forcesIrqlChecking()) {
      block.checkPagedAccess(this);
    }
  }

  /**
   * A touch of the image's pageable block under Force IRQL checking: at DISPATCH_LEVEL or above
   * it is bug check 0xD1 {@code DRIVER_IRQL_NOT_LESS_OR_EQUAL}, P1 the address, P2 the IRQL, P3 0
   * for a read or 1 for a write, P4 the address again (ntio has no instruction address: the
   * message names the driver's line).
   *
   * <p>Without the verifier the block's page is resident and the touch works, as on Windows,
   * where the mistake hides until memory pressure pages the block out on some customer's machine.
   */
  @Override
  public void touched(PoolAllocation block, long address, boolean write) {
    Irql irql = irql();
    if (!irql.isBelow(Irql.DISPATCH_LEVEL)) {
      throw violation(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL, address, irql.level(), write ? 1 : 0,
          address, (write ? "wrote " : "read ") + "pageable memory at " + irql + " (" + block
              + "): with Force IRQL checking its page is out at every raise");
    }
  }

  /**
   * {@code PAGED_CODE()}: above APC_LEVEL, with Force IRQL checking, bug check 0xD1 (P1 the
   * code's address, P2 the IRQL, P3 8, execute, P4 the same address), the fault the fetch of the
   * trimmed page gives.
   *
   * <p>Without it nothing happens, as in a free build: the WDK's {@code PAGED_CODE()} expands to
   * nothing unless {@code DBG}, where it asserts (a break into the debugger, not a bug check).
   * ntio's drivers are free builds; the mistake then hides while the page stays resident, as on
   * Windows.
   */
  void pagedCode() {
    Irql irql = irql();
    if (irql.isAbove(Irql.APC_LEVEL) && forcesIrqlChecking()) {
      StackTraceElement caller = ntio.kernel.executive.CallingSite.ofCurrentThread().orElse(null);
      long code = codeAddress(caller == null ? image.driverName() : caller.toString());
      throw violation(BugCheck.DRIVER_IRQL_NOT_LESS_OR_EQUAL, code, irql.level(), EXECUTE, code,
          "ran pageable code (PAGED_CODE) at " + irql);
    }
  }

  /**
   * {@code KeSetEvent}'s rule: at most DISPATCH_LEVEL. A verified image above it is bug check 0xC4
   * P1 0x80 (P2 the IRQL, P3 the event); an unverified one goes on, as on Windows.
   */
  void checkSetEvent(long eventAddress) {
    Irql irql = irql();
    if (irql.isAbove(Irql.DISPATCH_LEVEL) && verified()) {
      throw violation(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, SET_EVENT_ABOVE_DISPATCH,
          irql.level(), eventAddress, 0, "called KeSetEvent at " + irql);
    }
  }

  /**
   * {@code KeWaitForSingleObject} on {@code event} (the dispatcher event of the object at {@code
   * objectAddress}), non-alertable, at the caller's IRQL:
   *
   * <ul>
   *   <li>below DISPATCH_LEVEL, any timeout;
   *   <li>at DISPATCH_LEVEL, a zero timeout polls; any other wait returns at once if the object
   *       is signalled, and is a bug check if it would block: 0xB8 {@code
   *       ATTEMPTED_SWITCH_FROM_DPC} in a DPC routine (P1 the thread), else 0xA {@code
   *       IRQL_NOT_LESS_OR_EQUAL} (P1 the object, P2 the IRQL). With Force IRQL checking it is the
   *       bug check every time, signalled or not;
   *   <li>above DISPATCH_LEVEL, every wait, a poll included, is 0xA: the dispatcher's lock is taken
   *       at a lower level than the caller's.
   * </ul>
   *
   * <p>Why the verifier changes the signalled case: on Windows a wait at DISPATCH_LEVEL on an
   * object that is already signalled returns without switching threads, so the driver "works" on
   * its author's machine, where the event is always set in time, and crashes on a slower one
   * where it is not. Force IRQL checking makes the mistake show the first time the line runs.
   *
   * @return {@code STATUS_SUCCESS}, {@code STATUS_TIMEOUT}, or {@code STATUS_INVALID_PARAMETER}
   *     for a negative timeout
   */
  NtStatus await(KEvent event, long objectAddress, Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    IrqlState state = io.irqls.state();
    Irql irql = state.irql();
    if (irql.isBelow(Irql.DISPATCH_LEVEL)) {
      return event.await(timeout, false);
    }
    boolean poll = timeout != null && timeout.isZero();
    if (irql == Irql.DISPATCH_LEVEL && poll) {
      return event.await(Duration.ZERO, false);
    }
    if (irql == Irql.DISPATCH_LEVEL && !forcesIrqlChecking()) {
      NtStatus now = event.await(Duration.ZERO, false);
      if (!NtStatus.STATUS_TIMEOUT.equals(now)) { // satisfied: no thread switch (TIMEOUT is NT_SUCCESS too)
        return now;
      }
    }
    String what = "waited " + (timeout == null ? "without a timeout" : "up to " + timeout)
        + " at " + irql + " on an object that " + (event.readState() ? "is signalled" : "is not")
        + ": a wait at DISPATCH_LEVEL may only poll (a zero timeout)"
        + (forcesIrqlChecking() ? "; Force IRQL checking fails it even when signalled" : "");
    if (state.inDpc()) {
      throw violation(BugCheck.ATTEMPTED_SWITCH_FROM_DPC, Thread.currentThread().getId(), 0, 0, 0,
          "in a DPC routine " + what);
    }
    throw violation(BugCheck.IRQL_NOT_LESS_OR_EQUAL, objectAddress, irql.level(), 0, 0, what);
  }

  /** A stable made-up address for {@code code} in the kernel's or the image's pageable code. */
  private static long codeAddress(String code) {
    return CODE_BASE | (Integer.toUnsignedLong(code.hashCode()) << 4);
  }
}
