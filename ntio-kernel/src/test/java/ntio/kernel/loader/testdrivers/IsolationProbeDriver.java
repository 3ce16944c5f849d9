package ntio.kernel.loader.testdrivers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * Looks around from inside an image and answers with a status: success only if the kernel and
 * other test classes are invisible while java.*, the DDK and the image's own resource are visible.
 */
public class IsolationProbeDriver implements DriverEntry {

  /** The resource the test puts into the image next to this class. */
  public static final String RESOURCE = "probe/hello.txt";

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    // Class.forName(name) and Class.getResource("/...") ask this class's own loader, which the
    // image policy forbids a driver to name (Class.getClassLoader is denied).
    if (canLoad("ntio.kernel.Kernel") || canLoad("ntio.kernel.loader.DriverLoader")) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if (canLoad("ntio.kernel.loader.testdrivers.EchoDriver")) {
      return NtStatus.STATUS_OBJECT_NAME_COLLISION;
    }
    if (!canLoad("java.util.concurrent.ConcurrentHashMap")
        || !canLoad("ntio.ddk.KernelServices")) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (getClass().getResource("/ntio/kernel/Kernel.class") != null
        || getClass().getResource("/ntio/kernel/loader/testdrivers/EchoDriver.class") != null) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    if (getClass().getResource("/ntio/ddk/NtStatus.class") == null) {
      return NtStatus.STATUS_NOT_FOUND;
    }
    try (InputStream in = getClass().getResourceAsStream("/" + RESOURCE)) {
      if (in == null || !new String(in.readAllBytes(), StandardCharsets.UTF_8).equals("hello")) {
        return NtStatus.STATUS_NO_SUCH_FILE;
      }
    } catch (IOException e) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private static boolean canLoad(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
