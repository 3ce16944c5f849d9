package ntio.bench.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes a driver image JAR from classes of this module, for benchmark-only drivers. */
public final class ImageJars {

  /** The manifest attribute that names an image's DriverEntry class. */
  public static final String ENTRY_ATTRIBUTE = "Ntio-Driver-Entry";

  private ImageJars() {}

  /**
   * Writes {@code file}: {@code entry} and {@code more} as its classes, {@code entry} named in the
   * manifest.
   *
   * @return {@code file}
   */
  public static Path write(Path file, Class<?> entry, Class<?>... more) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue(ENTRY_ATTRIBUTE, entry.getName());
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      add(jar, entry);
      for (Class<?> type : more) {
        add(jar, type);
      }
    }
    return file;
  }

  private static void add(JarOutputStream jar, Class<?> type) throws IOException {
    String name = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the class path");
      }
      jar.putNextEntry(new JarEntry(name));
      in.transferTo(jar);
      jar.closeEntry();
    }
  }
}
