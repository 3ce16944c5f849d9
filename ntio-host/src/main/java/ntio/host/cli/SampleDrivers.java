package ntio.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import ntio.kernel.Kernel;
import ntio.hostfs.HostFiles;

/**
 * The sample driver images shipped inside the host jar (Null, Echo, Filter, Leaky, Tidy, Stale, the
 * framework Toaster, and the WDM ToasterBus and ToasterFilter), installed into
 * a state directory's {@code SystemRoot\System32\drivers} as an installer would.
 */
final class SampleDrivers {

  /** The images the host carries. */
  static final List<String> NAMES = List.of("Null", "Echo", "Filter", "Leaky", "Tidy", "Stale", "Toaster",
      "ToasterBus", "ToasterFilter");

  private SampleDrivers() {}

  /**
   * Copies {@code <name>.jar} into {@code <state>/SystemRoot/System32/drivers/} and returns the
   * ImagePath to write into its service key ({@code System32\drivers\<name>.jar}).
   */
  static String install(Path state, String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("no sample driver " + name + "; there are " + NAMES);
    }
    Path drivers = state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    try (InputStream image = SampleDrivers.class.getResourceAsStream("/ntio/drivers/" + name + ".jar")) {
      if (image == null) {
        throw new IllegalStateException("the host jar carries no " + name + ".jar: rebuild it with mvn package");
      }
      HostFiles.createPrivateDirectories(drivers);
      HostFiles.replace(drivers.resolve(name + ".jar"), image, HostFiles.PRIVATE_FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + name + ".jar into " + drivers, e);
    }
    return "System32\\drivers\\" + name + ".jar";
  }
}
