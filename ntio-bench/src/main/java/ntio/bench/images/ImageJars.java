package ntio.bench.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import ntio.bench.DriverImage;

/**
 * Writes driver image JARs from classes of this module, for benchmark-only drivers. The bytes are
 * the same on every call (fixed entry times), so copies of one image are byte-identical files.
 */
public final class ImageJars {

  /** 2020-01-01T00:00:00Z, every entry's time. */
  private static final long ENTRY_TIME = 1_577_836_800_000L;

  /** The manifest attribute that marks a WDM driver, as the kernel's loader reads it. */
  private static final String WDM_ATTRIBUTE = "Ntio-Wdm";

  private ImageJars() {}

  /**
   * The image: {@code entry} and {@code more} as its classes, {@code entry} named in the manifest
   * ({@link DriverImage#ENTRY_ATTRIBUTE}).
   */
  public static byte[] bytes(Class<?> entry, Class<?>... more) {
    return bytes(false, entry, more);
  }

  /**
   * The image of a WDM (PnP) driver: as {@link #bytes}, with {@code Ntio-Wdm: true} in the
   * manifest, which makes the kernel leave its unload to the PnP manager.
   */
  public static byte[] wdmBytes(Class<?> entry, Class<?>... more) {
    return bytes(true, entry, more);
  }

  private static byte[] bytes(boolean wdm, Class<?> entry, Class<?>... more) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue(DriverImage.ENTRY_ATTRIBUTE, entry.getName());
    if (wdm) {
      manifest.getMainAttributes().putValue(WDM_ATTRIBUTE, "true");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      put(jar, "META-INF/", null);
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      manifest.write(text);
      put(jar, "META-INF/MANIFEST.MF", text.toByteArray());
      put(jar, classFileName(entry), classFile(entry));
      for (Class<?> type : more) {
        put(jar, classFileName(type), classFile(type));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes {@link #bytes} to {@code file}, creating its directory.
   *
   * @return {@code file}
   */
  public static Path write(Path file, Class<?> entry, Class<?>... more) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes(entry, more));
    return file;
  }

  private static String classFileName(Class<?> type) {
    return type.getName().replace('.', '/') + ".class";
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getClassLoader().getResourceAsStream(classFileName(type))) {
      if (in == null) {
        throw new IOException(classFileName(type) + " is not on the class path");
      }
      return in.readAllBytes();
    }
  }

  private static void put(JarOutputStream jar, String name, byte[] data) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setTime(ENTRY_TIME);
    jar.putNextEntry(entry);
    if (data != null) {
      jar.write(data);
    }
    jar.closeEntry();
  }
}
