package ntio.stress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import ntio.api.KeyCreateResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.process.KThread;

/**
 * What the race harnesses ({@link RaceKernel}, {@link EchoKernels}) do to a kernel before racing
 * on it: read a driver image the build put on the class path, install it as a demand-start
 * service, and delete the state directory afterwards. Stateless.
 */
final class KernelSetup {

  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";

  /** {@code FILE_SHARE_READ | FILE_SHARE_WRITE}. */
  static final int SHARE_READ_WRITE = 0x1 | 0x2;

  /** {@code SERVICE_KERNEL_DRIVER}, {@code SERVICE_DEMAND_START}, {@code SERVICE_ERROR_NORMAL}. */
  private static final int KERNEL_DRIVER = 1;
  private static final int DEMAND_START = 3;
  private static final int ERROR_NORMAL = 1;

  private KernelSetup() {}

  /**
   * The bytes of the image the build copied to {@code resource}.
   *
   * @throws IllegalStateException if it is not on the class path (the module was not built by
   *     Maven)
   */
  static byte[] readImage(String resource) {
    try (InputStream in = KernelSetup.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path: build ntio-stress with Maven");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * Writes {@code image} as {@code \SystemRoot\System32\drivers\<name>.jar} of the kernel on
   * {@code stateDirectory} and creates the service key {@code <name>} of a demand-start kernel
   * driver, with no {@code ImagePath}: the default is that file.
   *
   * @return the service key's full name, what {@code NtLoadDriver} takes
   * @throws IllegalStateException naming the step and status if a registry call fails
   */
  static UnicodeString installService(Path stateDirectory, SystemServices nt, KThread tool, String name,
      byte[] image) {
    Path file =
        stateDirectory.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers").resolve(name + ".jar");
    try {
      Files.write(file, image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    String keyName = SERVICES + "\\" + name;
    KeyCreateResult key = nt.ntCreateKey(tool, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyName), 0);
    check("NtCreateKey(" + name + ")", key.status());
    try {
      for (RegValue value : List.of(RegValue.dword("Type", KERNEL_DRIVER), RegValue.dword("Start", DEMAND_START),
          RegValue.dword("ErrorControl", ERROR_NORMAL))) {
        check("NtSetValueKey(" + name + "\\" + value.name() + ")",
            nt.ntSetValueKey(tool, key.handle(), UnicodeString.of(value.name()), value.type(), value.data()));
      }
    } finally {
      nt.ntClose(tool, key.handle());
    }
    return UnicodeString.of(keyName);
  }

  /** @throws IllegalStateException naming {@code step} and {@code status} unless it is a success */
  static void check(String step, NtStatus status) {
    if (!status.isSuccess()) {
      throw new IllegalStateException(step + " returned " + status);
    }
  }

  /** Deletes a shut-down kernel's state directory; a failure is only reported on stderr. */
  static void deleteStateDirectory(Path stateDirectory) {
    try {
      Files.walkFileTree(stateDirectory, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
          Files.delete(directory);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // The JVM is usually exiting; a temporary directory left behind is all that is lost.
      System.err.println("ntio-stress: could not delete " + stateDirectory + ": " + e);
    }
  }
}
