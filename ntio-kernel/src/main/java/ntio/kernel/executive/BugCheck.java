package ntio.kernel.executive;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One bug check: the stop code, its four parameters and what ntio knows about where it came from.
 *
 * <p>Models the arguments of {@code KeBugCheckEx} plus {@code KiBugCheckDriver} (full): {@code
 * code} is the stop code (for example {@link #DRIVER_VERIFIER_DETECTED_VIOLATION}), the four
 * parameters mean what Microsoft's page for that code says, {@code driver} is the image or service
 * the bug check names (null when the kernel itself is to blame or nobody is known), {@code message}
 * is one line for a person, {@code stack} is the Java stack where it was raised (or of the
 * exception that caused it), {@code time} is when it was raised and {@code sequence} is unique
 * within one kernel instance, starting at 1.
 *
 * <p>Records are immutable values. Create them through {@link BugChecks#raise}; the public
 * constructor exists so that readers (crash reports, tests) can rebuild one.
 *
 * @param code the 32-bit stop code
 * @param parameter1 first parameter; for most codes the kind of violation
 * @param parameter2 second parameter
 * @param parameter3 third parameter
 * @param parameter4 fourth parameter
 * @param driver the driver the bug check names, for example {@code Leaky.jar}; may be null
 * @param message one line for a person; not null
 * @param stack the Java stack of where it was raised; not null, may be empty
 * @param time when it was raised; not null
 * @param sequence kernel-unique sequence number, at least 1
 */
public record BugCheck(
    int code,
    long parameter1,
    long parameter2,
    long parameter3,
    long parameter4,
    String driver,
    String message,
    String stack,
    Instant time,
    long sequence) {

  /** 0x0A: a driver touched pageable or invalid memory at too high an IRQL. */
  public static final int IRQL_NOT_LESS_OR_EQUAL = 0x0A;

  /**
   * 0x18: an object's reference count went below what its holders require — a driver dropped a
   * reference it never took. P1 the object type, P2 the object, P3 the pointer count, P4 the
   * handle count (as NT 4's ObfDereferenceObject reported them).
   */
  public static final int REFERENCE_BY_POINTER = 0x18;

  /** 0x19: a pool header is corrupt. */
  public static final int BAD_POOL_HEADER = 0x19;

  /** 0x1E: a kernel-mode program raised an exception that no handler caught. */
  public static final int KMODE_EXCEPTION_NOT_HANDLED = 0x1E;

  /** 0x50: invalid system memory was referenced, typically freed pool. */
  public static final int PAGE_FAULT_IN_NONPAGED_AREA = 0x50;

  /** 0x7E: a system thread raised an exception that no handler caught. */
  public static final int SYSTEM_THREAD_EXCEPTION_NOT_HANDLED = 0x7E;

  /** 0xC2: the current thread made a bad pool request (double free, wrong tag, ...). */
  public static final int BAD_POOL_CALLER = 0xC2;

  /** 0xC4: the general code for fatal errors found by Driver Verifier. */
  public static final int DRIVER_VERIFIER_DETECTED_VIOLATION = 0xC4;

  /** 0xC5: a driver corrupted the pool. */
  public static final int DRIVER_CORRUPTED_EXPOOL = 0xC5;

  /** 0xC7: a timer or DPC was found in memory that is being freed (for example at unload). */
  public static final int TIMER_OR_DPC_INVALID = 0xC7;

  /** 0xC9: the I/O verifier found a violation. */
  public static final int DRIVER_VERIFIER_IOMANAGER_VIOLATION = 0xC9;

  /** 0xCE: a driver unloaded without cancelling work items, timers, DPCs or threads. */
  public static final int DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS = 0xCE;

  /** 0xD5: a driver referenced special pool that it had freed. */
  public static final int DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL = 0xD5;

  /**
   * 0xB8: a DPC routine tried to wait (switch threads). P1 the thread, P2 the thread it would
   * switch to, P3 its stack; ntio gives the Java thread id in P1 and 0 for the others.
   */
  public static final int ATTEMPTED_SWITCH_FROM_DPC = 0xB8;

  /**
   * 0xD1: a driver touched pageable memory, or ran pageable code, at DISPATCH_LEVEL or above. P1
   * the address, P2 the IRQL, P3 0 read / 1 write / 8 execute, P4 the address that referenced it.
   */
  public static final int DRIVER_IRQL_NOT_LESS_OR_EQUAL = 0xD1;

  /** 0xE1: a worker routine returned at a raised IRQL. */
  public static final int WORKER_THREAD_RETURNED_AT_BAD_IRQL = 0xE1;

  /** 0xE2: the user asked for a crash. */
  public static final int MANUALLY_INITIATED_CRASH = 0xE2;

  /** 0x10D: the framework (KMDF) found a violation. */
  public static final int WDF_VIOLATION = 0x10D;

  /** 0x44: a driver completed an IRP that was already complete. */
  public static final int MULTIPLE_IRP_COMPLETE_REQUESTS = 0x44;

  /** {@code IRQL_NOT_GREATER_OR_EQUAL}: a raise of the IRQL to a level below the current one. */
  public static final int IRQL_NOT_GREATER_OR_EQUAL = 0x09;

  /** {@code SPIN_LOCK_ALREADY_OWNED}: a thread acquired a spin lock it already holds. */
  public static final int SPIN_LOCK_ALREADY_OWNED = 0x0F;

  /** {@code SPIN_LOCK_NOT_OWNED}: a thread released a spin lock it does not hold. */
  public static final int SPIN_LOCK_NOT_OWNED = 0x10;

  /** {@code IRQL_GT_ZERO_AT_SYSTEM_SERVICE}: a system service returned to its caller above PASSIVE_LEVEL. */
  public static final int IRQL_GT_ZERO_AT_SYSTEM_SERVICE = 0x4A;

  /** {@code IRQL_UNEXPECTED_VALUE}: a thread's IRQL is not what it must be at this point. */
  public static final int IRQL_UNEXPECTED_VALUE = 0xC8;

  /** {@code NO_MORE_IRP_STACK_LOCATIONS}: IoCallDriver with no stack location left. */
  public static final int NO_MORE_IRP_STACK_LOCATIONS = 0x35;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(IRQL_NOT_LESS_OR_EQUAL, "IRQL_NOT_LESS_OR_EQUAL"),
          Map.entry(REFERENCE_BY_POINTER, "REFERENCE_BY_POINTER"),
          Map.entry(BAD_POOL_HEADER, "BAD_POOL_HEADER"),
          Map.entry(MULTIPLE_IRP_COMPLETE_REQUESTS, "MULTIPLE_IRP_COMPLETE_REQUESTS"),
          Map.entry(NO_MORE_IRP_STACK_LOCATIONS, "NO_MORE_IRP_STACK_LOCATIONS"),
          Map.entry(IRQL_NOT_GREATER_OR_EQUAL, "IRQL_NOT_GREATER_OR_EQUAL"),
          Map.entry(SPIN_LOCK_ALREADY_OWNED, "SPIN_LOCK_ALREADY_OWNED"),
          Map.entry(SPIN_LOCK_NOT_OWNED, "SPIN_LOCK_NOT_OWNED"),
          Map.entry(IRQL_GT_ZERO_AT_SYSTEM_SERVICE, "IRQL_GT_ZERO_AT_SYSTEM_SERVICE"),
          Map.entry(IRQL_UNEXPECTED_VALUE, "IRQL_UNEXPECTED_VALUE"),
          Map.entry(KMODE_EXCEPTION_NOT_HANDLED, "KMODE_EXCEPTION_NOT_HANDLED"),
          Map.entry(PAGE_FAULT_IN_NONPAGED_AREA, "PAGE_FAULT_IN_NONPAGED_AREA"),
          Map.entry(SYSTEM_THREAD_EXCEPTION_NOT_HANDLED, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"),
          Map.entry(BAD_POOL_CALLER, "BAD_POOL_CALLER"),
          Map.entry(DRIVER_VERIFIER_DETECTED_VIOLATION, "DRIVER_VERIFIER_DETECTED_VIOLATION"),
          Map.entry(DRIVER_CORRUPTED_EXPOOL, "DRIVER_CORRUPTED_EXPOOL"),
          Map.entry(TIMER_OR_DPC_INVALID, "TIMER_OR_DPC_INVALID"),
          Map.entry(DRIVER_VERIFIER_IOMANAGER_VIOLATION, "DRIVER_VERIFIER_IOMANAGER_VIOLATION"),
          Map.entry(ATTEMPTED_SWITCH_FROM_DPC, "ATTEMPTED_SWITCH_FROM_DPC"),
          Map.entry(DRIVER_IRQL_NOT_LESS_OR_EQUAL, "DRIVER_IRQL_NOT_LESS_OR_EQUAL"),
          Map.entry(
              DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
              "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS"),
          Map.entry(
              DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL, "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL"),
          Map.entry(WORKER_THREAD_RETURNED_AT_BAD_IRQL, "WORKER_THREAD_RETURNED_AT_BAD_IRQL"),
          Map.entry(MANUALLY_INITIATED_CRASH, "MANUALLY_INITIATED_CRASH"),
          Map.entry(WDF_VIOLATION, "WDF_VIOLATION"));

  /** Exception code of an access violation, used for a Java exception that means a bad access. */
  private static final int EXCEPTION_ACCESS_VIOLATION = 0xC0000005;

  /** Exception code of an integer divide by zero. */
  private static final int EXCEPTION_INT_DIVIDE_BY_ZERO = 0xC0000094;

  /** Exception code of a stack overflow. */
  private static final int EXCEPTION_STACK_OVERFLOW = 0xC00000FD;

  /** {@code STATUS_NO_MEMORY}, as RtlRaiseStatus would raise it when memory runs out. */
  private static final int EXCEPTION_NO_MEMORY = 0xC0000017;

  /** The code Visual C++ gives every C++ {@code throw} ("msc"): a language-level exception. */
  private static final int EXCEPTION_LANGUAGE = 0xE06D7363;

  /** Checks the components. */
  public BugCheck {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(time, "time");
    if (sequence < 1) {
      throw new IllegalArgumentException("bug check sequence must be at least 1, was " + sequence);
    }
  }

  /**
   * The NT name of {@code code}, for example {@code BAD_POOL_CALLER}, if ntio knows it.
   *
   * <p>Models the bug-check names of {@code bugcodes.h} (partial: the codes ntio raises).
   */
  public static Optional<String> nameOf(int code) {
    return Optional.ofNullable(NAMES.get(code));
  }

  /**
   * The code ntio knows for an NT bug-check name, for example {@code 0xC2} for BAD_POOL_CALLER.
   *
   * <p>Models the bug-check names of {@code bugcodes.h} (partial: the codes ntio raises).
   */
  public static Optional<Integer> codeOf(String name) {
    return NAMES.entrySet().stream()
        .filter(e -> e.getValue().equals(name))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * The NT exception code that stands for a Java throwable escaping kernel or driver code, as the
   * first parameter of {@link #SYSTEM_THREAD_EXCEPTION_NOT_HANDLED} and {@link
   * #KMODE_EXCEPTION_NOT_HANDLED} carries it.
   *
   * <p>Null dereferences and index errors are access violations ({@code 0xC0000005}), arithmetic
   * errors integer divides by zero ({@code 0xC0000094}), stack overflows {@code 0xC00000FD}, out of
   * memory {@code STATUS_NO_MEMORY}; everything else is a language exception ({@code 0xE06D7363},
   * the code every C++ {@code throw} carries on Windows). Returned as the unsigned 32-bit value.
   *
   * <p>Models {@code EXCEPTION_RECORD.ExceptionCode} (partial: a Java throwable has no NT code of
   * its own, so one is chosen by kind).
   */
  public static long exceptionCodeOf(Throwable throwable) {
    int code;
    if (throwable instanceof NullPointerException
        || throwable instanceof IndexOutOfBoundsException
        || throwable instanceof ArrayStoreException
        || throwable instanceof ClassCastException) {
      code = EXCEPTION_ACCESS_VIOLATION;
    } else if (throwable instanceof ArithmeticException) {
      code = EXCEPTION_INT_DIVIDE_BY_ZERO;
    } else if (throwable instanceof StackOverflowError) {
      code = EXCEPTION_STACK_OVERFLOW;
    } else if (throwable instanceof OutOfMemoryError) {
      code = EXCEPTION_NO_MEMORY;
    } else {
      code = EXCEPTION_LANGUAGE;
    }
    return Integer.toUnsignedLong(code);
  }

  /** The NT name of this code, if ntio knows it. Models {@code bugcodes.h} (partial). */
  public Optional<String> name() {
    return nameOf(code);
  }

  /** The four parameters in order: {@code BugCheckParameter1..4} of KeBugCheckEx (full). */
  public long[] parameters() {
    return new long[] {parameter1, parameter2, parameter3, parameter4};
  }

  /** The code as {@code 0x000000C4}, as the STOP line prints it. Models the STOP line (full). */
  public String codeHex() {
    return String.format("0x%08X", code);
  }

  /**
   * The bug check as the blue screen prints it: {@code 0x000000C4
   * (DRIVER_VERIFIER_DETECTED_VIOLATION) (0x62, 0xFFFFA00000000010, 0x0, 0x0)}. The name is left
   * out when ntio does not know the code.
   *
   * <p>Models the STOP line of the blue screen and {@code !analyze}'s summary (full).
   */
  public String describe() {
    StringBuilder text = new StringBuilder(codeHex());
    name().ifPresent(n -> text.append(" (").append(n).append(')'));
    text.append(" (");
    long[] parameters = parameters();
    for (int i = 0; i < parameters.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(hex(parameters[i]));
    }
    return text.append(')').toString();
  }

  /** A 64-bit parameter as unsigned hexadecimal without padding: {@code 0x62}. */
  static String hex(long value) {
    return "0x" + Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
  }
}
