package ntio.kernel.executive;

/**
 * What a kernel does when it bug-checks: the part of {@code KeBugCheckEx} that writes the dump and
 * stops the machine.
 *
 * <p>Called exactly once per kernel instance, for the first bug check, on the thread that raised it
 * and with no executive lock held. The handler may block (it writes files) but must not raise
 * another bug check. The default is {@link CrashReportWriter}; tests install their own and assert
 * on the record.
 */
@FunctionalInterface
public interface CrashHandler {

  /** Handles the first bug check of this kernel. */
  void onBugCheck(BugCheck bugCheck);
}
