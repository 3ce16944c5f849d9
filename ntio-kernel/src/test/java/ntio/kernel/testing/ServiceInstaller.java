package ntio.kernel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import ntio.api.KeyCreateResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.process.KThread;
import ntio.kernel.verifier.Verifier;

/**
 * What an installer does on a booted kernel, for the tests that share it: writes registry values
 * (creating missing keys on the way, as {@code reg add} does), writes service keys, copies sample
 * images into {@code \SystemRoot\System32\drivers}, and turns Driver Verifier on for images (DV1).
 * Every call is made as {@code admin}, through the system services a client uses.
 */
public final class ServiceInstaller {

  /** Where services live, as a client spells it. */
  public static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  private final SystemServices nt;
  private final KThread admin;
  private final Path drivers;

  public ServiceInstaller(Kernel kernel, KThread admin) {
    this.nt = kernel.services();
    this.admin = admin;
    this.drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
  }

  /**
   * Where the build put the sample images (Null, Echo, Filter, Leaky, Tidy): the {@code
   * ntio.samples} system property, which the build sets to {@code ntio-drivers/target/drivers}.
   */
  public static Path sampleDirectory() {
    return Path.of(System.getProperty("ntio.samples", "../ntio-drivers/target/drivers")).toAbsolutePath();
  }

  /** {@code \SystemRoot\System32\drivers} of the kernel's state directory. */
  public Path drivers() {
    return drivers;
  }

  /** Sets a value, creating the key and every missing key above it. */
  public void setValue(String keyPath, RegValue value) {
    Handle key = createKey(keyPath);
    try {
      assertThat(nt.ntSetValueKey(admin, key, UnicodeString.of(value.name()), value.type(), value.data()))
          .as("set %s in %s", value.name(), keyPath).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      nt.ntClose(admin, key);
    }
  }

  private Handle createKey(String keyPath) {
    KeyCreateResult created = nt.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyPath), 0);
    if (created.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      nt.ntClose(admin, createKey(keyPath.substring(0, keyPath.lastIndexOf('\\'))));
      created = nt.ntCreateKey(admin, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyPath), 0);
    }
    assertThat(created.status().isSuccess()).as("create %s: %s", keyPath, created.status()).isTrue();
    return created.handle();
  }

  /** Writes a service key as an installer does: a demand-start kernel driver. */
  public void installService(String service, String imageFile) {
    String key = SERVICES + service;
    setValue(key, RegValue.dword("Type", 1));
    setValue(key, RegValue.dword("Start", 3));
    setValue(key, RegValue.expandString("ImagePath", "System32\\drivers\\" + imageFile));
  }

  /** Copies the sample {@code <name>.jar} the build made and installs the service {@code name} for it. */
  public void installSample(String name) {
    Path jar = sampleDirectory().resolve(name + ".jar");
    assertThat(jar).as("the sample images are built by ntio-drivers (mvn -B verify from the root)").exists();
    try {
      Files.createDirectories(drivers);
      Files.copy(jar, drivers.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    installService(name, name + ".jar");
  }

  /** Driver Verifier's registry values (DV1): {@code VerifyDrivers} and {@code VerifyDriverLevel}. */
  public void verifyDrivers(String imageNames, int level) {
    setValue(Verifier.MEMORY_MANAGEMENT, RegValue.string("VerifyDrivers", imageNames));
    setValue(Verifier.MEMORY_MANAGEMENT, RegValue.dword("VerifyDriverLevel", level));
  }
}
