package ntio.kernel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds driver images for tests: JARs holding classes of the test class path (their bytecode
 * read with {@code getResourceAsStream}, nested, anonymous and local classes included), extra
 * files, and the manifest attributes a driver image carries. Also writes the broken images the
 * loader must refuse.
 *
 * <p>Classes put into an image are also on the test class path; the image loader defines its own
 * copy from the JAR, so the two are different classes.
 *
 * <p>Images are reproducible: every entry has the same timestamp, so one image built twice is
 * byte-for-byte the same.
 */
public final class DriverJars {

  /** The manifest attribute naming the entry class. */
  public static final String ENTRY_ATTRIBUTE = "Ntio-Driver-Entry";

  /** The manifest attribute saying whether the driver is WDM. */
  public static final String WDM_ATTRIBUTE = "Ntio-Wdm";

  /** 2020-01-01T00:00:00Z: every entry's time, so that images are reproducible. */
  private static final long ENTRY_TIME = 1_577_836_800_000L;

  private static final int END_SIGNATURE = 0x06054b50;

  private DriverJars() {}

  /** Starts an image with this file name, such as {@code Echo.jar}. */
  public static Builder image(String fileName) {
    return new Builder(fileName);
  }

  /**
   * Writes {@code directory/fileName}: a driver image whose entry class is {@code entry}, holding
   * it, {@code more}, and all their nested classes.
   */
  public static Path driver(Path directory, String fileName, Class<?> entry, Class<?>... more) {
    return image(fileName).entry(entry).add(more).writeTo(directory);
  }

  /** Writes a file that is not a ZIP archive at all. */
  public static Path notAJar(Path directory, String fileName) {
    return write(directory, fileName,
        "this is not a driver image\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes a driver image with no {@code META-INF/MANIFEST.MF}. */
  public static Path withoutManifest(Path directory, String fileName, Class<?>... classes) {
    return image(fileName).add(classes).withoutManifest().writeTo(directory);
  }

  /** Writes the first half of a valid driver image: the central directory is missing. */
  public static Path truncated(Path directory, String fileName, Class<?> entry) {
    byte[] whole = image(fileName).entry(entry).toBytes();
    byte[] half = new byte[whole.length / 2];
    System.arraycopy(whole, 0, half, 0, half.length);
    return write(directory, fileName, half);
  }

  /**
   * Writes a driver image whose structure is intact but the compressed bytes of its first class
   * file are damaged, so that entry cannot inflate to what its header declares.
   */
  public static Path corrupt(Path directory, String fileName, Class<?> entry) {
    byte[] bytes = image(fileName).entry(entry).toBytes();
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    // Sizes are in the central directory (the local headers defer them to data descriptors).
    int end = bytes.length - 22;
    while (buffer.getInt(end) != END_SIGNATURE) {
      end--;
    }
    int p = buffer.getInt(end + 16);
    for (int i = 0; i < Short.toUnsignedInt(buffer.getShort(end + 10)); i++) {
      int compressed = buffer.getInt(p + 20);
      int nameLength = Short.toUnsignedInt(buffer.getShort(p + 28));
      String name = new String(bytes, p + 46, nameLength, StandardCharsets.UTF_8);
      int local = buffer.getInt(p + 42);
      if (name.endsWith(".class") && compressed > 8) {
        int start = local + 30 + Short.toUnsignedInt(buffer.getShort(local + 26))
            + Short.toUnsignedInt(buffer.getShort(local + 28));
        for (int k = compressed / 3; k < 2 * compressed / 3; k++) {
          bytes[start + k] ^= (byte) 0x5A;
        }
        return write(directory, fileName, bytes);
      }
      p += 46 + nameLength + Short.toUnsignedInt(buffer.getShort(p + 30))
          + Short.toUnsignedInt(buffer.getShort(p + 32));
    }
    throw new IllegalStateException("no compressed class entry in " + fileName);
  }

  /**
   * The entry names and bytes of a class and every class nested in it ({@code Outer$*.class} next
   * to {@code Outer.class} on the class path), read through its class loader.
   */
  public static Map<String, byte[]> classFiles(Class<?> type) {
    ClassLoader loader = Objects.requireNonNull(type.getClassLoader(), "a boot class");
    String entry = type.getName().replace('.', '/') + ".class";
    URL url = Objects.requireNonNull(loader.getResource(entry), entry);
    String directory = entry.substring(0, entry.lastIndexOf('/') + 1);
    String nestedPrefix = entry.substring(directory.length(), entry.length() - ".class".length()) + "$";
    List<String> names = new ArrayList<>();
    names.add(entry);
    try {
      if (url.getProtocol().equals("file")) {
        try (Stream<Path> siblings = Files.list(Path.of(url.toURI()).getParent())) {
          siblings.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith(nestedPrefix) && n.endsWith(".class"))
              .sorted()
              .forEach(n -> names.add(directory + n));
        }
      } else if (url.getProtocol().equals("jar")) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          List<String> nested = new ArrayList<>();
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(directory + nestedPrefix) && n.endsWith(".class")) {
              nested.add(n);
            }
          }
          nested.stream().sorted().forEach(names::add);
        }
      } else {
        throw new IllegalArgumentException("cannot list the class path at " + url);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(url.toString(), e);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : names) {
      try (InputStream in = Objects.requireNonNull(loader.getResourceAsStream(name), name)) {
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  private static Path write(Path directory, String fileName, byte[] bytes) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(fileName);
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An image being put together. Not thread-safe. */
  public static final class Builder {
    private final String fileName;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private boolean manifest = true;

    private Builder(String fileName) {
      this.fileName = Objects.requireNonNull(fileName, "fileName");
    }

    /** Adds the class and its nested classes and names it in {@code Ntio-Driver-Entry}. */
    public Builder entry(Class<?> entry) {
      attributes.put(ENTRY_ATTRIBUTE, entry.getName());
      return add(entry);
    }

    /** Sets {@code Ntio-Wdm} to {@code true} or {@code false}. */
    public Builder wdm(boolean wdm) {
      return attribute(WDM_ATTRIBUTE, Boolean.toString(wdm));
    }

    /** Sets a main manifest attribute, such as {@code Ntio-Driver-Entry} with any text. */
    public Builder attribute(String name, String value) {
      attributes.put(name, value);
      return this;
    }

    /** Removes a main manifest attribute. */
    public Builder withoutAttribute(String name) {
      attributes.remove(name);
      return this;
    }

    /** Adds classes and all their nested classes. */
    public Builder add(Class<?>... classes) {
      for (Class<?> type : classes) {
        files.putAll(classFiles(type));
      }
      return this;
    }

    /** Adds a file with any name and content, such as a resource or hand-made class bytes. */
    public Builder file(String entryName, byte[] bytes) {
      files.put(entryName, bytes.clone());
      return this;
    }

    /** Leaves {@code META-INF/MANIFEST.MF} out. */
    public Builder withoutManifest() {
      manifest = false;
      return this;
    }

    /** The image's bytes. */
    public byte[] toBytes() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        if (manifest) {
          Manifest m = new Manifest();
          m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
          attributes.forEach((name, value) -> m.getMainAttributes().putValue(name, value));
          put(zip, "META-INF/", null);
          ByteArrayOutputStream text = new ByteArrayOutputStream();
          m.write(text);
          put(zip, JarFile.MANIFEST_NAME, text.toByteArray());
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
          put(zip, file.getKey(), file.getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    /** Writes the image as {@code directory/fileName}, creating the directory; returns the file. */
    public Path writeTo(Path directory) {
      return write(directory, fileName, toBytes());
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
      ZipEntry entry = new ZipEntry(name);
      entry.setTime(ENTRY_TIME);
      zip.putNextEntry(entry);
      if (data != null) {
        zip.write(data);
      }
      zip.closeEntry();
    }
  }
}
