package ntio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The Null driver's image, which the build copies into this module as the resource
 * {@code ntio/bench/Null.jar} rather than putting its classes on the class path: every benchmark
 * writes it to a file of its own and loads its classes from there only.
 */
final class NullImage {

  /** Where the build puts the image. */
  static final String RESOURCE = "/ntio/bench/Null.jar";

  /** The manifest attribute naming the entry class, as the kernel's loader reads it. */
  static final String ENTRY_ATTRIBUTE = "Ntio-Driver-Entry";

  private NullImage() {}

  /**
   * Writes the image to {@code file}, creating its directory.
   *
   * @throws IllegalStateException if the resource is missing (the module was not built by Maven)
   */
  static Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (InputStream in = NullImage.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path: build ntio-bench with Maven,"
            + " which copies dev.ntio:ntio-drivers:jar:null there");
      }
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /** The binary name of the image's entry class, from its manifest. */
  static String entryClass(Path image) throws IOException {
    try (JarFile jar = new JarFile(image.toFile())) {
      String entry = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue(ENTRY_ATTRIBUTE);
      if (entry == null || entry.isEmpty()) {
        throw new IllegalStateException(image + " has no " + ENTRY_ATTRIBUTE + " in its manifest");
      }
      return entry;
    }
  }
}
