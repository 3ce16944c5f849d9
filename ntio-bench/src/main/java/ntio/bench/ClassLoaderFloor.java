package ntio.bench;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import ntio.ddk.DriverEntry;

/**
 * The floor under any JVM plugin host, as peers.md §4.2 measures it: a new
 * {@link URLClassLoader} over the image, its entry class defined and initialized, instantiated
 * with its no-argument constructor, one method called reflectively, the loader closed.
 *
 * <p>The parent is the loader of the DDK, so the entry class links against {@link DriverEntry}
 * exactly as it does under the kernel; the image's own classes are not on the class path, so they
 * are always defined afresh by the new loader (checked on every cycle).
 *
 * <p>Public for the side-by-side comparison with ntio's peers ({@code ntio.bench.peers}).
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
public final class ClassLoaderFloor implements AutoCloseable {

  private final Path directory;
  private final URL[] image;
  private final String entryClass;
  private final ClassLoader parent;

  private ClassLoaderFloor(Path directory, Path file, String entryClass, ClassLoader parent)
      throws IOException {
    this.directory = directory;
    this.image = new URL[] {file.toUri().toURL()};
    this.entryClass = entryClass;
    this.parent = parent;
  }

  /** Writes the Null image to a new temporary directory. */
  public static ClassLoaderFloor create() throws IOException {
    return over("ntio-floor-", directory -> {
      Path file = DriverImage.NULL.writeTo(directory.resolve(DriverImage.NULL.fileName()));
      return new ClassLoaderFloor(directory, file, DriverImage.entryClass(file),
          DriverEntry.class.getClassLoader());
    });
  }

  /**
   * The floor of another unit: {@code entryClass} from the JAR {@code write} puts in a new
   * temporary directory, in a loader whose parent is {@code parent} (what the unit links
   * against). The peers' benchmarks measure their own unit's floor with it.
   */
  public static ClassLoaderFloor of(String prefix, JarWriter write, String entryClass,
      ClassLoader parent) throws IOException {
    return over(prefix, directory ->
        new ClassLoaderFloor(directory, write.writeIn(directory), entryClass, parent));
  }

  /** Writes a unit's JAR into a directory and returns its path. */
  @FunctionalInterface
  public interface JarWriter {
    Path writeIn(Path directory) throws IOException;
  }

  private interface Maker {
    ClassLoaderFloor make(Path directory) throws IOException;
  }

  private static ClassLoaderFloor over(String prefix, Maker maker) throws IOException {
    Path directory = StateDirectory.create(prefix);
    try {
      return maker.make(directory);
    } catch (IOException | RuntimeException e) {
      StateDirectory.delete(directory);
      throw e;
    }
  }

  /**
   * One cycle: load, instantiate, call, close.
   *
   * @return what the call returned, for the benchmark to consume
   */
  public Object run() throws IOException, ReflectiveOperationException {
    try (URLClassLoader loader = new URLClassLoader("floor", image, parent)) {
      Class<?> entry = Class.forName(entryClass, true, loader);
      if (entry.getClassLoader() != loader) {
        throw new IllegalStateException(entryClass + " came from " + entry.getClassLoader()
            + ", not from the new loader: the image is on the class path");
      }
      Object instance = entry.getConstructor().newInstance();
      try {
        return entry.getMethod("toString").invoke(instance);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(entryClass + ".toString() threw", e.getCause());
      }
    }
  }

  /** Deletes the image and its directory. */
  @Override
  public void close() throws IOException {
    StateDirectory.delete(directory);
  }
}
