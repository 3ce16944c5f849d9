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
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Ntio-Driver-Entry", entry.getName());
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
