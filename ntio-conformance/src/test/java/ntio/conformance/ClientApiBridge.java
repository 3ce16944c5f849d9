package ntio.conformance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.api.NtApi;
import ntio.host.api.PendingIo;
import ntio.kernel.io.Requests.IoResult;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectManager.OpenResult;

/**
 * The client calls and result fields issue 15 adds to ntio's client API while the ports are
 * written (NtDuplicateObject, NtOpenFile, NtQueryInformationFile; NtQueryObject's name with its
 * own status; the I/O status block and the immediate status of an overlapped call), reached by
 * name so that the ports compile before they
 * land. A port that needs one still missing fails, saying which: its expectation is Windows', not
 * bent to what ntio has today. Once the calls are in {@link NtApi} and the fields in {@link
 * IoResult} and {@link PendingIo}, the ports call them directly and this class goes.
 */
public final class ClientApiBridge {

  private ClientApiBridge() {}

  /** {@code NtDuplicateObject} within the client's own process. */
  public static OpenResult duplicateObject(NtApi nt, Handle source, int desiredAccess, int attributes, int options) {
    return (OpenResult) call(nt, "duplicateObject",
        new Class<?>[] {Handle.class, int.class, int.class, int.class}, source, desiredAccess, attributes, options);
  }

  /** {@code NtOpenFile}. */
  public static OpenResult openFile(NtApi nt, int desiredAccess, ObjectAttributes attributes, int share, int options) {
    return (OpenResult) call(nt, "openFile",
        new Class<?>[] {int.class, ObjectAttributes.class, int.class, int.class}, desiredAccess, attributes, share, options);
  }

  /** {@code NtQueryInformationFile}. */
  public static IoResult queryInformationFile(NtApi nt, Handle file, int informationClass, int length) {
    return (IoResult) call(nt, "queryInformationFile",
        new Class<?>[] {Handle.class, int.class, int.class}, file, informationClass, length);
  }

  /** Whether NT wrote the caller's I/O status block (and signalled its event, queued its APC). */
  public static boolean ioStatusWritten(IoResult result) {
    return (Boolean) field(result, "ioStatusWritten");
  }

  /** {@code IoStatus.Status} as written to the caller's status block. */
  public static NtStatus ioStatus(IoResult result) {
    return (NtStatus) field(result, "ioStatus");
  }

  /** What an overlapped system service returned at once ({@code STATUS_PENDING} if it pended). */
  public static NtStatus returnedStatus(PendingIo pending) {
    return (NtStatus) field(pending, "status");
  }

  /**
   * {@code NtQueryObject} with ObjectNameInformation and ObjectTypeInformation.
   *
   * @param nameStatus what NtQueryObject(ObjectNameInformation) returns
   * @param name the name it gives; null when {@code nameStatus} failed
   * @param typeStatus what NtQueryObject(ObjectTypeInformation) returns
   * @param typeName the type's name; null when {@code typeStatus} failed
   */
  public record ObjectAnswer(NtStatus nameStatus, String name, NtStatus typeStatus, String typeName) {}

  /**
   * {@code NtQueryObject}: the name with its own status (a file's name is its device's and the
   * driver's FileNameInformation, whose failure is the name query's), and the type.
   */
  public static ObjectAnswer queryObject(NtApi nt, Handle handle) {
    Object answer = call(nt, "queryObject", new Class<?>[] {Handle.class}, handle);
    NtStatus status = (NtStatus) field(answer, "status");
    ObjectManager.ObjectInfo info = (ObjectManager.ObjectInfo) field(answer, "info");
    NtStatus nameStatus = status;
    try {
      nameStatus = (NtStatus) answer.getClass().getMethod("nameStatus").invoke(answer);
    } catch (NoSuchMethodException e) {
      // Before issue 15's names: the name query fails only with the handle.
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
    boolean valid = status.isSuccess() && info != null;
    return new ObjectAnswer(nameStatus, valid && nameStatus.isSuccess() ? info.name() : null,
        status, valid ? info.typeName() : null);
  }

  private static Object call(NtApi nt, String name, Class<?>[] types, Object... args) {
    Method method;
    try {
      method = NtApi.class.getMethod(name, types);
    } catch (NoSuchMethodException e) {
      throw new AssertionError("ntio's client API has no " + name + " yet (issue 15, item 4)");
    }
    try {
      return method.invoke(nt, args);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Object field(Object record, String name) {
    Method accessor;
    try {
      accessor = record.getClass().getMethod(name);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(record.getClass().getSimpleName() + " does not report " + name
          + " yet (issue 15, item 3: the I/O status block and overlapped semantics)");
    }
    try {
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }
}
