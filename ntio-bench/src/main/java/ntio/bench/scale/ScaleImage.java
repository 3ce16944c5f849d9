package ntio.bench.scale;

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
 * The image of {@link ScaleDriver}: a JAR holding that one class file, with {@code
 * Ntio-Driver-Entry} naming it. Built from the class file on this program's class path, once, and
 * written as many times as a curve needs copies: each copy is its own file, so each service maps
 * its own image and gets its own class loader, as N different drivers would.
 *
 * <p>Every entry has the same timestamp, so the bytes are the same on every run.
 */
public final class ScaleImage {

  /** 2020-01-01T00:00:00Z: every entry's time. */
  private static final long ENTRY_TIME = 1_577_836_800_000L;

  private static final byte[] BYTES = build();

  private ScaleImage() {}

  /** The image's bytes. */
  public static byte[] bytes() {
    return BYTES.clone();
  }

  /** Writes the image as {@code file}, creating its directory. */
  public static Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, BYTES);
    return file;
  }

  private static byte[] build() {
    String entryName = ScaleDriver.class.getName().replace('.', '/') + ".class";
    byte[] classFile;
    try (InputStream in = ScaleDriver.class.getClassLoader().getResourceAsStream(entryName)) {
      if (in == null) {
        throw new IllegalStateException(entryName + " is not on the class path");
      }
      classFile = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue(DriverImage.ENTRY_ATTRIBUTE, ScaleDriver.class.getName());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      put(jar, "META-INF/", null);
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      manifest.write(text);
      put(jar, "META-INF/MANIFEST.MF", text.toByteArray());
      put(jar, entryName, classFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
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
