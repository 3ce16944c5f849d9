import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step of ntio-host, run by the source launcher on the shaded jar right after the shade
 * plugin (see the pom): every class file in the jar older than Java 6's (major version below 50)
 * is written again as a class file of the given Java release, with stack map frames computed by
 * ASM. The code, the constant pool's meaning and every attribute stay as they were.
 *
 * <p>Why: picocli 4.7 (and ASM itself) ship class files of Java 5. The JVM verifies those with the
 * old type-inferring verifier, and neither a dynamic nor a static AppCDS archive keeps them ("Old
 * class has been linked"), so every `ntio` command loaded, parsed and verified picocli's classes
 * from the jar. Upgraded, they are checked by the split verifier against their stack maps and the
 * launcher's archive keeps them (docs/performance.md, "Starting the command line").
 *
 * <pre>java -cp asm.jar UpgradeClassFiles.java ntio.jar 17</pre>
 *
 * <p>Fails (non-zero exit) rather than writing a class it could not upgrade: a class whose frames
 * need a type that cannot be found is a build error, never a guess that the verifier would reject
 * at run time. Running it again on its own output changes nothing.
 */
public final class UpgradeClassFiles {
  /** Java 6's major version: the first the split verifier checks and AppCDS keeps. */
  private static final int JAVA_6 = 50;

  private UpgradeClassFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: UpgradeClassFiles JAR RELEASE");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    int major = 44 + Integer.parseInt(args[1]); // Java 1.0 and 1.1 were 45, 1.2 was 46, ... 17 is 61
    Map<String, byte[]> upgraded = new LinkedHashMap<>();
    // The frames' common super types are looked up in the jar itself and the JDK, as the jar runs.
    try (URLClassLoader types = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        FileSystem zip = FileSystems.newFileSystem(jar)) {
      for (Path entry : classFiles(zip)) {
        byte[] bytes = Files.readAllBytes(entry);
        if (majorVersion(bytes) < JAVA_6) {
          upgraded.put(entry.toString(), upgrade(bytes, major, types));
        }
      }
    }
    if (upgraded.isEmpty()) {
      return;
    }
    try (FileSystem zip = FileSystems.newFileSystem(jar)) {
      for (Map.Entry<String, byte[]> e : upgraded.entrySet()) {
        Path entry = zip.getPath(e.getKey());
        FileTime modified = Files.getLastModifiedTime(entry);
        Files.write(entry, e.getValue());
        Files.setLastModifiedTime(entry, modified); // keep the entry's time: the build stays reproducible
      }
    }
    System.out.printf("UpgradeClassFiles: %d class files of %s upgraded to major version %d%n", upgraded.size(), jar.getFileName(), major);
  }

  private static Iterable<Path> classFiles(FileSystem zip) throws IOException {
    try (Stream<Path> all = Files.walk(zip.getPath("/"))) {
      return all.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).sorted().toList();
    }
  }

  private static int majorVersion(byte[] classFile) {
    return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
  }

  private static byte[] upgrade(byte[] classFile, int major, ClassLoader types) {
    // No ClassReader is handed to the writer: with one, ASM would copy unchanged methods as they
    // are, without the frames this exists to add.
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected ClassLoader getClassLoader() {
        return types;
      }
    };
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        super.visit(major, access, name, signature, superName, interfaces);
      }
    }, 0);
    return writer.toByteArray();
  }
}
