package ntio.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class files of the shaded {@code ntio.jar} after the build's upgrade step
 * ({@code src/build/UpgradeClassFiles.java}): none is older than Java 6's, so the JVM checks them
 * all with the split verifier against their stack maps and an AppCDS archive may keep them; and the
 * ones the step rewrote (picocli's, ASM's) pass that verifier.
 */
class ShadedClassFilesIT {

  /** Java 6's major version: the split verifier's and AppCDS's floor. */
  private static final int JAVA_6 = 50;

  /** Java 17's, which the step writes. */
  private static final int JAVA_17 = 61;

  private static final List<String> UPGRADED = List.of("picocli/", "org/objectweb/asm/");

  @TempDir
  Path scratch;

  @Test
  void noClassFileInTheJarIsOlderThanJava6() throws IOException {
    List<String> old = new ArrayList<>();
    try (JarFile jar = new JarFile(jar().toFile())) {
      for (JarEntry entry : classFiles(jar)) {
        if (majorVersion(jar, entry) < JAVA_6) {
          old.add(entry.getName());
        }
      }
    }

    assertThat(old).isEmpty();
  }

  @Test
  void picocliAndAsmAreJava17ClassFilesThatPassTheSplitVerifier() throws Exception {
    List<String> names = new ArrayList<>();
    try (JarFile jar = new JarFile(jar().toFile())) {
      for (JarEntry entry : classFiles(jar)) {
        if (UPGRADED.stream().anyMatch(entry.getName()::startsWith)) {
          assertThat(majorVersion(jar, entry)).as(entry.getName()).isEqualTo(JAVA_17);
          names.add(className(entry));
        }
      }
    }
    assertThat(names).contains("picocli.CommandLine", "org.objectweb.asm.ClassWriter");

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar().toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      for (String name : names) {
        assertThat(linked(Class.forName(name, false, loader))).isNotNegative(); // a VerifyError fails the test
      }
    }
  }

  @Test
  void theVerificationCheckRejectsAJava17ClassFileWithoutStackMaps() throws Exception {
    // The check above must be able to fail: picocli's CommandLine$Range, marked Java 17 without
    // the frames the upgrade adds, is what the step would leave had it only changed the version.
    Path jar = scratch.resolve("unframed.jar");
    String entryName = "picocli/CommandLine$Range.class";
    try (JarFile shaded = new JarFile(jar().toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      byte[] bytes;
      try (InputStream in = shaded.getInputStream(shaded.getEntry(entryName))) {
        bytes = in.readAllBytes();
      }
      out.putNextEntry(new JarEntry(entryName));
      out.write(withoutStackMaps(bytes));
      out.closeEntry();
    }

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> range = Class.forName("picocli.CommandLine$Range", false, loader);
      assertThatThrownBy(() -> linked(range)).isInstanceOf(VerifyError.class);
    }
  }

  /** Links {@code type} (so verifies it) without initialising it: reflection over its methods does. */
  private static int linked(Class<?> type) {
    return type.getDeclaredMethods().length;
  }

  /** {@code classFile} with every StackMapTable attribute renamed to an attribute the JVM ignores. */
  private static byte[] withoutStackMaps(byte[] classFile) {
    byte[] copy = classFile.clone();
    byte[] name = "StackMapTable".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    // The attribute's name is one CONSTANT_Utf8 in the pool: renaming it (same length) hides every frame.
    for (int i = 0; i + 3 + name.length <= copy.length; i++) {
      if (copy[i] == 1 && copy[i + 1] == 0 && copy[i + 2] == name.length
          && java.util.Arrays.equals(copy, i + 3, i + 3 + name.length, name, 0, name.length)) {
        copy[i + 3] = 'X';
        return copy;
      }
    }
    throw new AssertionError("no StackMapTable in the class file");
  }

  private static Path jar() {
    return Path.of(System.getProperty("ntio.jar", "target/ntio.jar")).toAbsolutePath();
  }

  private static List<JarEntry> classFiles(JarFile jar) {
    return jar.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class"))
        .toList();
  }

  private static int majorVersion(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      byte[] header = in.readNBytes(8);
      return ((header[6] & 0xFF) << 8) | (header[7] & 0xFF);
    }
  }

  private static String className(JarEntry entry) {
    String name = entry.getName();
    return name.substring(0, name.length() - ".class".length()).replace('/', '.');
  }
}
