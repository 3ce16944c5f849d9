package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import ntio.api.KeyCreateResult;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.process.KThread;

/** What the host tests share: installing the host's sample drivers as start services, and values. */
final class HostRuntimeFixtures {

  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  private HostRuntimeFixtures() {}

  /** Boots a kernel on {@code state} just long enough to run {@code work} on it, as an installer. */
  static void offline(Path state, java.util.function.Consumer<Kernel> work) {
    Kernel kernel = Kernel.boot(KernelConfig.of(state));
    try {
      work.accept(kernel);
    } finally {
      kernel.shutdown();
    }
  }

  /**
   * Copies the host's sample {@code <name>.jar} into the kernel's drivers folder and writes its
   * service key: a kernel driver with this Start.
   */
  static void installSample(Kernel kernel, String name, int start) {
    Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    try (InputStream image = HostRuntimeFixtures.class.getResourceAsStream("/ntio/drivers/" + name + ".jar")) {
      assertThat(image).as("%s.jar in the host's resources (built by mvn package)", name).isNotNull();
      Files.createDirectories(drivers);
      Files.copy(image, drivers.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    setValue(kernel, SERVICES + name, RegValue.dword("Type", 1));
    setValue(kernel, SERVICES + name, RegValue.dword("Start", start));
    setValue(kernel, SERVICES + name, RegValue.expandString("ImagePath", "System32\\drivers\\" + name + ".jar"));
  }

  /**
   * Writes a driver JAR holding the one class {@code entry}, named as its entry, as {@code
   * <name>.jar} in the kernel's drivers folder, and its service key: a kernel driver with this
   * Start. What the real loader then maps like any other image.
   */
  static void installImage(Kernel kernel, String name, Class<?> entry, int start) {
    Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    try {
      Files.createDirectories(drivers);
      Files.write(drivers.resolve(name + ".jar"), image(entry));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    setValue(kernel, SERVICES + name, RegValue.dword("Type", 1));
    setValue(kernel, SERVICES + name, RegValue.dword("Start", start));
    setValue(kernel, SERVICES + name, RegValue.expandString("ImagePath", "System32\\drivers\\" + name + ".jar"));
  }

  /** A driver JAR holding one class, named as its entry. */
  static byte[] image(Class<?> entry) throws IOException {
    return ntio.host.daemon.crash.CrashImages.image(entry);
  }

  /** Sets a value from a kernel-mode System thread, creating the key (its parent must exist). */
  static void setValue(Kernel kernel, String keyPath, RegValue value) {
    KThread system = kernel.systemThread();
    KeyCreateResult key = kernel.services().ntCreateKey(system, AccessMask.KEY_ALL_ACCESS,
        new ObjectAttributes(Handle.NULL, UnicodeString.of(keyPath),
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE), 0);
    assertThat(key.status().isSuccess()).as("create %s: %s", keyPath, key.status()).isTrue();
    try {
      assertThat(kernel.services().ntSetValueKey(system, key.handle(), UnicodeString.of(value.name()),
          value.type(), value.data())).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      kernel.services().ntClose(system, key.handle());
    }
  }

  /** Reads a value from a kernel-mode System thread; empty when the key or the value is missing. */
  static Optional<RegValue> value(Kernel kernel, String keyPath, String name) {
    KThread system = kernel.systemThread();
    var key = kernel.services().ntOpenKey(system, AccessMask.KEY_READ,
        new ObjectAttributes(Handle.NULL, UnicodeString.of(keyPath),
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
    if (!key.status().isSuccess()) {
      return Optional.empty();
    }
    try {
      ValueResult read = kernel.services().ntQueryValueKey(system, key.handle(), UnicodeString.of(name));
      return read.status().isSuccess() ? Optional.of(read.value()) : Optional.empty();
    } finally {
      kernel.services().ntClose(system, key.handle());
    }
  }

  /** The services of the loaded drivers that came from a service key. */
  static java.util.List<String> loadedServices(Kernel kernel) {
    return kernel.io().drivers().stream()
        .filter(d -> !d.imagePath().isEmpty())
        .sorted(java.util.Comparator.comparingLong(ntio.api.DriverInfo::loadOrder))
        .map(ntio.api.DriverInfo::service)
        .toList();
  }
}
