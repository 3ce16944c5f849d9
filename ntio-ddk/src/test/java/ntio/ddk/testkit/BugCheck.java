package ntio.ddk.testkit;

/**
 * A bug check a driver (or the framework for it) raised through a {@link TestKernel}'s services,
 * or one the kit raised for a rule the real kernel bug-checks on: {@code KeBugCheckEx}'s code, its
 * four parameters, the driver it names and one line for a person.
 *
 * @param driver the name of the driver whose services raised it, or null when the kit did
 */
public record BugCheck(int code, long parameter1, long parameter2, long parameter3, long parameter4,
    String driver, String message) {

  /** 0x35: {@code IoCallDriver} with no stack location left. */
  public static final int NO_MORE_IRP_STACK_LOCATIONS = 0x35;
  /** 0x44: a request completed a second time. */
  public static final int MULTIPLE_IRP_COMPLETE_REQUESTS = 0x44;
  /** 0xC2: a bad pool call, such as a block freed twice or with another tag. */
  public static final int BAD_POOL_CALLER = 0xC2;
  /** 0xC9: the I/O verifier's rules, such as a request completed with {@code STATUS_PENDING}. */
  public static final int DRIVER_VERIFIER_IOMANAGER_VIOLATION = 0xC9;
  /** 0x10D: the framework's rules. */
  public static final int WDF_VIOLATION = 0x10D;

  @Override
  public String toString() {
    return String.format("bug check 0x%X (0x%X, 0x%X, 0x%X, 0x%X)%s: %s", code, parameter1, parameter2,
        parameter3, parameter4, driver == null ? "" : " in " + driver, message);
  }
}
