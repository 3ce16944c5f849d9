package ntio.kernel.loader;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * One mapped image's class loader: it defines the image's classes from the bytes the loader
 * already read and checked, and serves the image's files as resources. Its parent is the {@link
 * ImportFilterLoader}, so a driver links only against what that exports and its own classes.
 *
 * <p>Thread-safe: it is not parallel capable, so the JVM and {@link #loadClass(String, boolean)}
 * define the image's classes under the loader's own lock, one at a time. {@link #close()} empties it: no further class can be defined
 * and no resource found, and the bytes are released; classes already defined stay usable by
 * whoever still holds them, which after an unmap is nobody in the kernel.
 */
final class ImageClassLoader extends ClassLoader {

  /*
   * Implementation notes:
   *
   * Why not a URLClassLoader over the JAR: the import check must see exactly the bytes that are
   * defined, and a URLClassLoader would read the file again (it could have changed in between);
   * it also keeps the JarFile open until close(), and jar: URLs handed out as resources can pin
   * the file in the JDK's JarFile cache after that. Reading the image into memory once makes
   * "checked = defined" hold by construction and leaves nothing open on the host.
   *
   * The two maps are replaced, never mutated: close() swaps in empty maps, and a concurrent
   * findClass sees either the image or nothing.
   *
   * Why loadClass is overridden: the default parent-first delegation asks the import filter for
   * the image's own classes too, and the filter answers each with a ClassNotFoundException — a
   * stack trace filled in for every class the image defines. An image may not define an exported
   * name (DriverLoader refuses such an image), so asking the filter only for exported names
   * resolves exactly the same classes without an exception on the normal path. Not being
   * parallel capable spares each image loader the JDK's per-name lock table; an image's classes
   * are defined by the thread that loads it.
   */

  private final String imageName;
  private final ProtectionDomain domain;
  private volatile Map<String, byte[]> classes;
  private volatile Map<String, byte[]> files;
  private volatile boolean closed;
  private volatile boolean redirectPoolCalls;

  /**
   * @param imageName the image's file name, for the loader's name and resource URLs
   * @param classes class-file bytes by binary name
   * @param files every file of the image by entry name, class files included
   * @param location the image's host file, the classes' code source
   */
  ImageClassLoader(String imageName, ClassLoader parent, Map<String, byte[]> classes,
      Map<String, byte[]> files, URL location) {
    super("image:" + imageName, parent);
    this.imageName = imageName;
    this.classes = Map.copyOf(classes);
    this.files = Map.copyOf(files);
    this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (ImportFilterLoader.isExportedClass(name)) {
      return getParent().loadClass(name);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      Class<?> found = loaded != null ? loaded : findClass(name);
      if (resolve) {
        resolveClass(found);
      }
      return found;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classes.get(name);
    if (bytes == null) {
      throw new ClassNotFoundException(isClosed()
          ? name + ": image " + imageName + " is unmapped"
          : name + " is neither in image " + imageName
              + " nor exported to driver images (java.*, ntio.ddk.*, ntio.framework.*)");
    }
    byte[] defined = bytes;
    if (redirectPoolCalls) {
      try {
        defined = PoolCallThunks.redirect(bytes, getName());
      } catch (RuntimeException unreadable) {
        // The image passed its checks; a class ASM cannot rewrite is defined as it is, and pool
        // tracking captures the stack of its calls instead.
        defined = bytes;
      }
    }
    return defineClass(name, defined, 0, defined.length, domain);
  }

  /**
   * From now on, classes defined pass their call site to pool allocations ({@link
   * PoolCallThunks}). Classes defined before keep their calls as they are.
   */
  void redirectPoolCalls() {
    redirectPoolCalls = true;
  }

  @Override
  protected URL findResource(String name) {
    byte[] bytes = files.get(name);
    if (bytes == null) {
      return null;
    }
    try {
      return new URL("ntio-image", null, -1, "/" + imageName + "/" + name, new BytesHandler(bytes));
    } catch (MalformedURLException e) {
      throw new IllegalStateException("cannot name resource " + name + " of " + imageName, e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(url));
  }

  /** Forgets the image's bytes; later lookups find nothing. Models unmapping the image's view. */
  void close() {
    closed = true;
    classes = Map.of();
    files = Map.of();
  }

  boolean isClosed() {
    return closed;
  }

  /** Serves one resource's bytes; holds the bytes only, never the loader. */
  private static final class BytesHandler extends URLStreamHandler {
    private final byte[] bytes;

    BytesHandler(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    protected URLConnection openConnection(URL url) {
      return new URLConnection(url) {
        @Override
        public void connect() {
          connected = true;
        }

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLengthLong() {
          return bytes.length;
        }
      };
    }
  }
}
