package ntio.kernel.objects;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * A type's query-name procedure: answers ObjectNameInformation for an object of the type instead
 * of the object manager's own answer (the object's place in the namespace). Models {@code
 * OB_QUERYNAME_METHOD} (partial: the whole name at once, no caller buffer). The I/O manager's File
 * type has one ({@code IopQueryName}), which asks the file's driver.
 *
 * <p>It is called with no object-manager lock held, with a reference on the object, and may call
 * driver code.
 */
@FunctionalInterface
public interface QueryNameProcedure {

  /** The name of {@code object}, or the status that refused it. */
  Result queryName(KernelObject object);

  /**
   * The outcome: a success status and the name, or a failure status and a null name.
   *
   * @param status what NtQueryObject(ObjectNameInformation) returns
   * @param name the name, or null on failure
   */
  record Result(NtStatus status, String name) {

    /** A name found. */
    public static Result named(String name) {
      return new Result(NtStatus.STATUS_SUCCESS, Objects.requireNonNull(name));
    }

    /** A refusal. */
    public static Result failure(NtStatus status) {
      if (status.isSuccess()) {
        throw new IllegalArgumentException("failure with a success status " + status);
      }
      return new Result(status, null);
    }
  }
}
