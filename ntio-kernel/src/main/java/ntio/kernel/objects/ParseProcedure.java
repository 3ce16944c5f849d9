package ntio.kernel.objects;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * A type's parse procedure: takes over name lookup when the object manager reaches an object of
 * the type. Models {@code OB_PARSE_METHOD} (partial). The registry parses the rest of a key path
 * with it, and the I/O manager turns the open of a device into a file object with it.
 *
 * <p>It is called with no object-manager lock held and may call driver code. It returns either a
 * referenced object and the access granted to it (the procedure made its own access check), a
 * failure status, or {@code STATUS_REPARSE} with a new absolute name to look up instead.
 */
@FunctionalInterface
public interface ParseProcedure {

  /** Parses {@code request.remainingName()} starting at {@code request.parseObject()}. */
  Result parse(Request request);

  /**
   * One parse call.
   *
   * @param parseObject the object whose type owns this procedure (referenced for the call)
   * @param expectedType the type the caller asked for, or null for any
   * @param completeName the whole name being looked up, as the caller gave it
   * @param remainingName what is left after {@code parseObject}, as NT's ObpLookupObjectName passes
   *     it: past an object reached in the namespace it keeps its separator ({@code \\x}, or a lone
   *     {@code \\} after a trailing one); relative to a root handle it is the name as given; may
   *     be empty
   * @param attributes the {@code OBJ_*} attributes of the request
   * @param desiredAccess the access asked for
   * @param caller who is asking
   * @param context the type-specific context of the open, or null
   */
  record Request(
      KernelObject parseObject,
      ObjectType expectedType,
      String completeName,
      String remainingName,
      int attributes,
      int desiredAccess,
      Caller caller,
      ParseContext context) {}

  /**
   * The outcome of a parse.
   *
   * @param status the status; {@code STATUS_REPARSE} asks the object manager to look up
   *     {@code reparseName} instead
   * @param object the object found or created, carrying one reference for the caller, or null
   * @param grantedAccess the access the procedure granted to {@code object}
   * @param reparseName the new absolute name when reparsing, else null
   */
  record Result(NtStatus status, KernelObject object, int grantedAccess, String reparseName) {

    /** A failure. */
    public static Result failure(NtStatus status) {
      if (status.isSuccess()) {
        throw new IllegalArgumentException("failure with a success status " + status);
      }
      return new Result(status, null, 0, null);
    }

    /** A referenced object with the access granted to it. */
    public static Result found(NtStatus status, KernelObject object, int grantedAccess) {
      return new Result(status, Objects.requireNonNull(object), grantedAccess, null);
    }

    /** Look up {@code newName} (absolute) instead. */
    public static Result reparse(String newName) {
      return new Result(NtStatus.STATUS_REPARSE, null, 0, Objects.requireNonNull(newName));
    }
  }
}
