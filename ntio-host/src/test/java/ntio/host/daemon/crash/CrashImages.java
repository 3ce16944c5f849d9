package ntio.host.daemon.crash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Driver JAR images of one test class each, for the real loader. */
public final class CrashImages {

  private CrashImages() {}

  /** A driver JAR holding one class, named as its entry. */
  public static byte[] image(Class<?> entry) throws IOException {
    return image(entry, false);
  }

  /**
   * A driver JAR holding one class, named as its entry; {@code wdm} sets {@code Ntio-Wdm: true}, the
   * WDM bit a PnP driver's image carries (without it the driver is legacy, and the PnP manager does
   * not unload it at its last device's removal).
   */
  public static byte[] image(Class<?> entry, boolean wdm) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Ntio-Driver-Entry", entry.getName());
    if (wdm) {
      manifest.getMainAttributes().putValue("Ntio-Wdm", "true");
    }
    String classFile = entry.getName().replace('.', '/') + ".class";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest);
        InputStream in = entry.getResourceAsStream("/" + classFile)) {
      jar.putNextEntry(new JarEntry(classFile));
      in.transferTo(jar);
      jar.closeEntry();
    }
    return bytes.toByteArray();
  }
}
