package ntio.conformance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.host.api.NtApi;
import ntio.kernel.objects.ObjectManager;

/**
 * {@code NtQueryObject} as the ports need it — ObjectNameInformation with its own status — while
 * issue 15's names work (which makes the name query of a file its device's name plus the driver's
 * FileNameInformation, with that answer's status) has not changed the client API yet. Reached by
 * name so that the ports compile with today's {@code EntryInfo} and with the name status to come;
 * once {@link NtApi#queryObject} reports it, the ports call it directly and this class goes.
 */
public final class ClientApiBridge {

  private ClientApiBridge() {}

  /**
   * {@code NtQueryObject} with ObjectNameInformation and ObjectTypeInformation.
   *
   * @param nameStatus what NtQueryObject(ObjectNameInformation) returns
   * @param name the name it gives; null when {@code nameStatus} failed
   * @param typeStatus what NtQueryObject(ObjectTypeInformation) returns
   * @param typeName the type's name; null when {@code typeStatus} failed
   */
  public record ObjectAnswer(NtStatus nameStatus, String name, NtStatus typeStatus, String typeName) {}

  /** {@code NtQueryObject}: the name with its own status, and the type. */
  public static ObjectAnswer queryObject(NtApi nt, Handle handle) {
    Object answer = nt.queryObject(handle);
    NtStatus status = (NtStatus) invoke(answer, "status");
    ObjectManager.ObjectInfo info = (ObjectManager.ObjectInfo) invoke(answer, "info");
    NtStatus nameStatus = status;
    try {
      Method method = answer.getClass().getMethod("nameStatus");
      nameStatus = (NtStatus) method.invoke(answer);
    } catch (NoSuchMethodException e) {
      // Before the names work: the name query fails only with the handle.
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
    boolean valid = status.isSuccess() && info != null;
    return new ObjectAnswer(nameStatus, valid && nameStatus.isSuccess() ? info.name() : null,
        status, valid ? info.typeName() : null);
  }

  private static Object invoke(Object record, String accessor) {
    try {
      return record.getClass().getMethod(accessor).invoke(record);
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(record.getClass() + "." + accessor, e);
    }
  }
}
