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
    ClassLoader own = getClass().getClassLoader();
    if (canLoad("ntio.kernel.Kernel", own) || canLoad("ntio.kernel.loader.DriverLoader", own)) {
      return NtStatus.STATUS_ACCESS_VIOLATION;
    }
    if (canLoad("ntio.kernel.loader.testdrivers.EchoDriver", own)) {
      return NtStatus.STATUS_OBJECT_NAME_COLLISION;
    }
    if (!canLoad("java.util.concurrent.ConcurrentHashMap", own)
        || !canLoad("ntio.ddk.KernelServices", own)) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (own.getResource("ntio/kernel/Kernel.class") != null
        || own.getResource("ntio/kernel/loader/testdrivers/EchoDriver.class") != null) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    if (own.getResource("ntio/ddk/NtStatus.class") == null) {
      return NtStatus.STATUS_NOT_FOUND;
    }
    try (InputStream in = own.getResourceAsStream(RESOURCE)) {
      if (in == null || !new String(in.readAllBytes(), StandardCharsets.UTF_8).equals("hello")) {
        return NtStatus.STATUS_NO_SUCH_FILE;
      }
    } catch (IOException e) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  private static boolean canLoad(String name, ClassLoader loader) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
