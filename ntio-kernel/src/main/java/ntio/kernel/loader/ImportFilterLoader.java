package ntio.kernel.loader;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent of every image's class loader: what a driver may link against. It answers for {@code
 * java.*} (from the platform class loader) and for {@code ntio.ddk.*} and {@code ntio.framework.*}
 * (from the loader that loaded the DDK), classes and resources alike, and for nothing else — so
 * {@code Class.forName("ntio.kernel.Kernel")} in a driver is a {@link ClassNotFoundException}.
 *
 * <p>Holds no class of any image: an image loader's parent never keeps it alive. One per {@link
 * DriverLoader}; thread-safe (it is parallel capable). It remembers the classes it has answered
 * with, all of them {@code java.*} or exported by the DDK's loader, so that linking the same DDK
 * type into each new image loader costs one map lookup.
 */
final class ImportFilterLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
  private final ClassLoader ddk;
  private final ConcurrentHashMap<String, Class<?>> answered = new ConcurrentHashMap<>();

  ImportFilterLoader(ClassLoader ddk) {
    // No parent: everything a driver can see goes through loadClass and getResource below.
    super("ntio-driver-imports", null);
    this.ddk = ddk;
  }

  /** Whether an internal name such as {@code java/lang/String} is exported to driver images. */
  static boolean isExported(String internalName) {
    return internalName.startsWith("java/")
        || internalName.startsWith("ntio/ddk/")
        || internalName.startsWith("ntio/framework/");
  }

  /** Whether a binary name ({@code ntio.ddk.NtStatus}) is one a driver may link against. */
  static boolean isExportedClass(String binaryName) {
    return binaryName.startsWith("java.")
        || binaryName.startsWith("ntio.ddk.")
        || binaryName.startsWith("ntio.framework.");
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    Class<?> known = answered.get(name);
    if (known != null) {
      return known;
    }
    ClassLoader source = sourceOf(name.replace('.', '/'));
    if (source == null) {
      throw new ClassNotFoundException(name + " is not exported to driver images");
    }
    Class<?> found = source.loadClass(name);
    answered.putIfAbsent(name, found);
    return found;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    throw new ClassNotFoundException(name + " is not exported to driver images");
  }

  @Override
  public URL getResource(String name) {
    ClassLoader source = sourceOf(name);
    return source == null ? null : source.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    ClassLoader source = sourceOf(name);
    return source == null ? Collections.emptyEnumeration() : source.getResources(name);
  }

  private ClassLoader sourceOf(String path) {
    if (path.startsWith("java/")) {
      return platform;
    }
    return isExported(path) ? ddk : null;
  }
}
