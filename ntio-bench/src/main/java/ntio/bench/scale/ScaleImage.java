package ntio.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ntio.bench.images.ImageJars;

/**
 * The image of {@link ScaleDriver}: a JAR holding that one class file, with {@code
 * Ntio-Driver-Entry} naming it ({@link ImageJars}). Built from the class file on this program's
 * class path, once, and written as many times as a curve needs copies: each copy is its own file,
 * so each service maps its own image and gets its own class loader, as N different drivers would.
 *
 * <p>Every entry has the same timestamp, so the bytes are the same on every run.
 */
public final class ScaleImage {

  private static final byte[] BYTES = ImageJars.bytes(ScaleDriver.class);

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
}
