package ntio.kernel.executive;

import java.util.Objects;

/**
 * Thrown on the thread that raised a bug check, so that it unwinds: the machine has stopped.
 *
 * <p>It is not an ntio bug but the Java face of {@code KeBugCheckEx} never returning. Code that
 * catches it must not carry on as if nothing happened; the kernel is halted and every later call
 * fails. Worker threads catch it to keep serving (the record is already delivered).
 */
public final class BugCheckException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // a record of strings and numbers; never serialized in ntio
  private final BugCheck bugCheck;

  /**
   * A bug check raised on this thread.
   *
   * <p>Models {@code KeBugCheckEx} not returning (partial: the thread unwinds instead of halting).
   */
  public BugCheckException(BugCheck bugCheck) {
    super(Objects.requireNonNull(bugCheck, "bugCheck").describe() + ": " + bugCheck.message());
    this.bugCheck = bugCheck;
  }

  /**
   * A bug check raised on another thread, rethrown here so that this thread unwinds too.
   *
   * <p>Models the other processors stopping at a bug check (partial: only threads that wait on the
   * failed work see it).
   */
  public BugCheckException(BugCheck bugCheck, Throwable cause) {
    super(
        Objects.requireNonNull(bugCheck, "bugCheck").describe() + ": " + bugCheck.message(), cause);
    this.bugCheck = bugCheck;
  }

  /**
   * The bug check that stopped the machine (or, if it was already halted, a secondary one).
   *
   * <p>Models reading {@code KiBugCheckData} (full).
   */
  public BugCheck bugCheck() {
    return bugCheck;
  }
}
