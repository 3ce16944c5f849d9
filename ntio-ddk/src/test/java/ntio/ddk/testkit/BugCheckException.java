package ntio.ddk.testkit;

/**
 * Thrown on the thread that raised a {@link BugCheck}, so that it unwinds: the Java face of {@code
 * KeBugCheckEx} never returning. Once one was raised, the {@link TestKernel} is halted.
 */
public final class BugCheckException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // a record of strings and numbers; never serialized
  private final BugCheck bugCheck;

  BugCheckException(BugCheck bugCheck) {
    super(bugCheck.toString());
    this.bugCheck = bugCheck;
  }

  /** What was raised. */
  public BugCheck bugCheck() {
    return bugCheck;
  }
}
