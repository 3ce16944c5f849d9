package ntio.bench.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The peers' counterparts of {@code Null.jar}, written at benchmark set-up: one JAR per peer,
 * each holding one class with a public constructor and a start and a stop that return at once,
 * and the descriptor its peer reads.
 *
 * <ul>
 *   <li>PF4J: {@value #PLUGIN_CLASS} extends {@code org.pf4j.Plugin}, described by
 *       {@code plugin.properties} (id {@value #PLUGIN_ID}, version {@value #VERSION}), the
 *       descriptor PF4J's default manager looks for first;
 *   <li>Felix: {@value #ACTIVATOR_CLASS} implements {@code org.osgi.framework.BundleActivator},
 *       described by OSGi headers in the manifest (symbolic name {@value #BUNDLE_SYMBOLIC_NAME},
 *       importing only {@code org.osgi.framework}).
 * </ul>
 *
 * <p>The Null driver's image also holds one class the cycle runs (and a holder of its device
 * name), whose DriverEntry creates one device, sets its dispatch routines, and whose DriverUnload
 * deletes the device. The peers' units do less, because their hosts give them nothing to create:
 * what each host does around the unit is what is measured.
 */
final class UnitJar {

  /** The PF4J plugin's class, which no class path holds. */
  static final String PLUGIN_CLASS = "ntio.bench.peers.unit.NullPlugin";

  /** The PF4J plugin's id, {@code loadPlugin}'s answer. */
  static final String PLUGIN_ID = "null-plugin";

  /** The Felix bundle's activator class, which no class path holds. */
  static final String ACTIVATOR_CLASS = "ntio.bench.peers.unit.NullActivator";

  /** The Felix bundle's {@code Bundle-SymbolicName}. */
  static final String BUNDLE_SYMBOLIC_NAME = "ntio.bench.peers.unit.null";

  /** Both units' version. */
  static final String VERSION = "1.0.0";

  private static final String BUNDLE_CONTEXT = "Lorg/osgi/framework/BundleContext;";

  private UnitJar() {}

  /** Writes the PF4J plugin to {@code file}, creating its directory. */
  static Path writePf4jPlugin(Path file) throws IOException {
    byte[] plugin = UnitClassFile.of(PLUGIN_CLASS, "org.pf4j.Plugin", List.of(), List.of(
        new UnitClassFile.EmptyMethod("start", "()V"),
        new UnitClassFile.EmptyMethod("stop", "()V")));
    String descriptor = "plugin.id=" + PLUGIN_ID + "\n"
        + "plugin.class=" + PLUGIN_CLASS + "\n"
        + "plugin.version=" + VERSION + "\n"
        + "plugin.provider=ntio-bench\n";
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    return write(file, manifest, List.of(
        new Entry(PLUGIN_CLASS.replace('.', '/') + ".class", plugin),
        new Entry("plugin.properties", descriptor.getBytes(StandardCharsets.ISO_8859_1))));
  }

  /** Writes the Felix bundle to {@code file}, creating its directory. */
  static Path writeFelixBundle(Path file) throws IOException {
    byte[] activator = UnitClassFile.of(ACTIVATOR_CLASS, "java.lang.Object",
        List.of("org.osgi.framework.BundleActivator"), List.of(
            new UnitClassFile.EmptyMethod("start", "(" + BUNDLE_CONTEXT + ")V"),
            new UnitClassFile.EmptyMethod("stop", "(" + BUNDLE_CONTEXT + ")V")));
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", BUNDLE_SYMBOLIC_NAME);
    main.putValue("Bundle-Version", VERSION);
    main.putValue("Bundle-Activator", ACTIVATOR_CLASS);
    main.putValue("Import-Package", "org.osgi.framework");
    return write(file, manifest, List.of(new Entry(ACTIVATOR_CLASS.replace('.', '/') + ".class", activator)));
  }

  private record Entry(String name, byte[] bytes) {}

  private static Path write(Path file, Manifest manifest, List<Entry> entries) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      for (Entry entry : entries) {
        jar.putNextEntry(new JarEntry(entry.name()));
        jar.write(entry.bytes());
        jar.closeEntry();
      }
    }
    return file;
  }
}
