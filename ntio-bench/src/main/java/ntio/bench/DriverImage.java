package ntio.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A sample driver's image, which the build copies into this module as a resource
 * ({@code ntio/bench/Null.jar}, {@code Echo.jar}, {@code Filter.jar}) rather than putting its
 * classes on the class path: every benchmark writes it to a file of its own and the kernel (or the
 * floor's class loader) loads its classes from there only.
 */
public enum DriverImage {
  /** {@code dev.ntio:ntio-drivers:jar:null}: {@code \Device\Null}. */
  NULL("Null.jar", "null"),
  /** {@code dev.ntio:ntio-drivers:jar:echo}: {@code \Device\Echo}, a FIFO. */
  ECHO("Echo.jar", "echo"),
  /** {@code dev.ntio:ntio-drivers:jar:filter}: a pass-through filter attached on top of Echo. */
  FILTER("Filter.jar", "filter");

  /** The manifest attribute naming the entry class, as the kernel's loader reads it. */
  public static final String ENTRY_ATTRIBUTE = "Ntio-Driver-Entry";

  /** A JAR signature's files: the signature file and its block ({@code jarsigner}'s names). */
  private static final Pattern SIGNATURE_FILE =
      Pattern.compile("META-INF/(?:[^/]+\\.(?:SF|RSA|DSA|EC)|SIG-[^/]+)", Pattern.CASE_INSENSITIVE);

  private final String fileName;
  private final String classifier;

  DriverImage(String fileName, String classifier) {
    this.fileName = fileName;
    this.classifier = classifier;
  }

  /** The image's usual file name, {@code Null.jar} say: what an {@code ImagePath} points at. */
  public String fileName() {
    return fileName;
  }

  /** Where the build puts the image. */
  String resource() {
    return "/ntio/bench/" + fileName;
  }

  /**
   * Writes the image to {@code file}, creating its directory.
   *
   * @throws IllegalStateException if the resource is missing (the module was not built by Maven)
   */
  public Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (InputStream in = open()) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /** The image's bytes; throws if the build did not put it on the class path. */
  private InputStream open() {
    InputStream in = DriverImage.class.getResourceAsStream(resource());
    if (in == null) {
      throw new IllegalStateException(resource() + " is not on the class path: build ntio-bench with Maven,"
          + " which copies dev.ntio:ntio-drivers:jar:" + classifier + " there");
    }
    return in;
  }

  /**
   * Writes the image without its signature: every entry but the signature files, in order, as an
   * unsigned plugin JAR is. The like-for-like unit for PF4J's and Felix's cycles, which check no
   * signature; the kernel's code integrity (default {@code AUDIT}) then has nothing to verify.
   */
  public Path writeUnsignedTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (InputStream in = open(); ZipInputStream signed = new ZipInputStream(in);
        ZipOutputStream unsigned = new ZipOutputStream(Files.newOutputStream(file))) {
      for (ZipEntry entry = signed.getNextEntry(); entry != null; entry = signed.getNextEntry()) {
        if (SIGNATURE_FILE.matcher(entry.getName()).matches()) {
          continue;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        unsigned.putNextEntry(copy);
        signed.transferTo(unsigned);
        unsigned.closeEntry();
      }
    }
    return file;
  }

  /** Whether {@code name} is one of a JAR signature's files. */
  static boolean isSignatureFile(String name) {
    return SIGNATURE_FILE.matcher(name).matches();
  }

  /** The binary name of an image's entry class, from its manifest. */
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
