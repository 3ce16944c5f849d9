package ntio.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads a driver image's classes the way the architecture says an image is loaded: {@code java.*}
 * from the platform, {@code ntio.ddk.*} and {@code ntio.framework.*} from the loader that has the
 * DDK, and everything else from the image alone. A class that needs anything more fails to load.
 */
final class ImageOnlyClassLoader extends ClassLoader {

  private final JarFile image;
  private final ClassLoader ddk;

  ImageOnlyClassLoader(JarFile image, ClassLoader ddk) {
    super("image " + image.getName(), null);
    this.image = image;
    this.ddk = ddk;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        if (name.startsWith("java.")) {
          loaded = ClassLoader.getPlatformClassLoader().loadClass(name);
        } else if (name.startsWith("ntio.ddk.") || name.startsWith("ntio.framework.")) {
          loaded = ddk.loadClass(name);
        } else {
          loaded = findClass(name);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = image.getJarEntry(name.replace('.', '/') + ".class");
    if (entry == null) {
      throw new ClassNotFoundException(name + " is not in " + image.getName());
    }
    try (InputStream in = image.getInputStream(entry)) {
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }
}
