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
  private final ClassLoader parent = DriverEntry.class.getClassLoader();

  private ClassLoaderFloor(Path directory) throws IOException {
    this.directory = directory;
    Path file = DriverImage.NULL.writeTo(directory.resolve(DriverImage.NULL.fileName()));
    this.image = new URL[] {file.toUri().toURL()};
    this.entryClass = DriverImage.entryClass(file);
  }

  /** Writes the Null image to a new temporary directory. */
  public static ClassLoaderFloor create() throws IOException {
    Path directory = StateDirectory.create("ntio-floor-");
    try {
      return new ClassLoaderFloor(directory);
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
