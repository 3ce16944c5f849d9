package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.EchoDriver;
import org.junit.jupiter.api.Test;

class ClassFileTest {

  @Test
  void readsNameSupertypesConstructorAndImportsOfACompiledClass() throws Exception {
    ClassFile file = ClassFile.read(bytesOf(EchoDriver.class), "EchoDriver.class");

    assertThat(file.name()).isEqualTo("ntio/kernel/loader/testdrivers/EchoDriver");
    assertThat(file.binaryName()).isEqualTo(EchoDriver.class.getName());
    assertThat(file.superName()).isEqualTo("java/lang/Object");
    assertThat(file.interfaces()).containsExactly("ntio/ddk/DriverEntry");
    assertThat(file.accessFlags() & ClassFile.ACC_PUBLIC).isNotZero();
    assertThat(file.publicNoArgConstructor()).isTrue();
    assertThat(file.references()).contains(
        "ntio/ddk/NtStatus", "ntio/ddk/DriverObject", "ntio/ddk/UnicodeString",
        "java/util/function/Supplier", "ntio/kernel/loader/testdrivers/EchoDriver$Counter");
  }

  @Test
  void acceptsEveryClassJavacProducedForThisModule() throws Exception {
    // The reader is strict; it must still accept all real-world class files at hand.
    int read = 0;
    for (String root : List.of("/ntio/kernel/loader/DriverLoader.class",
        "/ntio/kernel/loader/ClassFileTest.class")) {
      Path directory = Path.of(ClassFileTest.class.getResource(root).toURI()).getParent();
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path path : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          ClassFile.read(Files.readAllBytes(path), path.toString());
          read++;
        }
      }
    }
    assertThat(read).isGreaterThan(30);
  }

  @Test
  void arrayClassEntriesImportTheirElementType() throws Exception {
    ClassBytes bytes = new ClassBytes("x/A");
    bytes.classRef("[[Lntio/kernel/Kernel;");
    bytes.classRef("[I");

    assertThat(read(bytes).references()).contains("ntio/kernel/Kernel").doesNotContain("[I", "I");
  }

  @Test
  void nameAndTypeMethodTypeFieldAndMethodDescriptorsAreImports() throws Exception {
    ClassBytes bytes = new ClassBytes("x/A");
    bytes.nameAndType("call", "(ILa/Param;[La/Array;)La/Return;");
    bytes.nameAndType("constant", "La/Dynamic;");
    bytes.methodType("()La/MethodType;");
    bytes.field("f", "[[La/Field;");
    bytes.method(ClassFile.ACC_PUBLIC, "m", "(JD)La/Method;");

    assertThat(read(bytes).references()).containsSubsequence("x/A", "java/lang/Object",
        "a/Param", "a/Array", "a/Return", "a/Dynamic", "a/MethodType", "a/Field", "a/Method");
  }

  @Test
  void onlyAPublicNoArgumentInitIsAPublicNoArgConstructor() throws Exception {
    assertThat(read(new ClassBytes("x/A").method(0, "<init>", "()V")).publicNoArgConstructor())
        .isFalse();
    assertThat(read(new ClassBytes("x/A").method(ClassFile.ACC_PUBLIC, "<init>", "(I)V"))
        .publicNoArgConstructor()).isFalse();
    assertThat(read(new ClassBytes("x/A").method(ClassFile.ACC_PUBLIC, "init", "()V"))
        .publicNoArgConstructor()).isFalse();
    assertThat(read(new ClassBytes("x/A").method(ClassFile.ACC_PUBLIC, "<init>", "()V"))
        .publicNoArgConstructor()).isTrue();
  }

  @Test
  void aBadMagicIsInvalidImageFormat() {
    assertInvalid(new ClassBytes("x/A").magic(0xCAFEBABF).toBytes(), "bad magic");
  }

  @Test
  void aClassFileTooNewForThisJvmIsInvalidImageFormat() {
    assertInvalid(new ClassBytes("x/A").major(ClassFile.newestMajor() + 1).toBytes(),
        "class-file version " + (ClassFile.newestMajor() + 1));
    assertInvalid(new ClassBytes("x/A").major(44).toBytes(), "class-file version 44");
  }

  @Test
  void everyTruncationOfAClassFileIsInvalidImageFormat() throws Exception {
    byte[] whole = bytesOf(EchoDriver.class);
    for (int length = 0; length < whole.length; length++) {
      assertInvalid(Arrays.copyOf(whole, length), "");
    }
  }

  @Test
  void noDamagedByteMakesTheReaderFailOtherThanWithAStatus() throws Exception {
    byte[] whole = bytesOf(EchoDriver.class);
    for (int i = 0; i < whole.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] damaged = whole.clone();
        damaged[i] ^= (byte) mask;
        try {
          ClassFile.read(damaged, "EchoDriver.class");
        } catch (BadImageException e) {
          assertThat(e.status()).isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT);
        }
      }
    }
  }

  @Test
  void bytesAfterTheLastAttributeAreInvalidImageFormat() {
    assertInvalid(new ClassBytes("x/A").trailing((byte) 0).toBytes(), "after the last attribute");
  }

  @Test
  void anUnknownConstantTagIsInvalidImageFormat() {
    ClassBytes bytes = new ClassBytes("x/A");
    bytes.raw(2, (byte) 0, (byte) 0);
    assertInvalid(bytes.toBytes(), "tag 2");
  }

  @Test
  void moduleAndPackageConstantsAreInvalidInAClass() {
    ClassBytes module = new ClassBytes("x/A");
    module.raw(19, (byte) 0, (byte) 1);
    assertInvalid(module.toBytes(), "tag 19");
    ClassBytes pkg = new ClassBytes("x/A");
    pkg.raw(20, (byte) 0, (byte) 1);
    assertInvalid(pkg.toBytes(), "tag 20");
  }

  @Test
  void aClassEntryThatDoesNotNameAUtf8IsInvalidImageFormat() {
    ClassBytes bytes = new ClassBytes("x/A");
    int klass = bytes.classRef("y/B");
    bytes.raw(7, (byte) 0, (byte) klass);
    assertInvalid(bytes.toBytes(), "is not a Utf8 entry");
  }

  @Test
  void anIndexPastTheConstantPoolIsInvalidImageFormat() {
    ClassBytes bytes = new ClassBytes("x/A");
    bytes.raw(16, (byte) 0x7F, (byte) 0x00);
    assertInvalid(bytes.toBytes(), "is not a Utf8 entry");
  }

  @Test
  void aMethodrefThatDoesNotPointAtAClassIsInvalidImageFormat() {
    ClassBytes bytes = new ClassBytes("x/A");
    int utf = bytes.utf8("y/B");
    int nat = bytes.nameAndType("m", "()V");
    bytes.raw(10, (byte) 0, (byte) utf, (byte) 0, (byte) nat);
    assertInvalid(bytes.toBytes(), "refers to constant " + utf);
  }

  @Test
  void aMethodHandleOfTheWrongKindIsInvalidImageFormat() {
    ClassBytes bytes = new ClassBytes("x/A");
    int method = bytes.methodRef("y/B", "m", "()V");
    bytes.methodHandle(1, method);
    assertInvalid(bytes.toBytes(), "kind 1");
    ClassBytes other = new ClassBytes("x/A");
    other.methodHandle(10, other.methodRef("y/B", "m", "()V"));
    assertInvalid(other.toBytes(), "kind 10");
  }

  @Test
  void aValidMethodHandleIsAccepted() throws Exception {
    ClassBytes bytes = new ClassBytes("x/A");
    bytes.methodHandle(6, bytes.methodRef("java/lang/invoke/LambdaMetafactory", "metafactory",
        "()Ljava/lang/invoke/CallSite;"));
    assertThat(read(bytes).references()).contains("java/lang/invoke/LambdaMetafactory");
  }

  @Test
  void aLongConstantThatOverrunsThePoolIsInvalidImageFormat() {
    // Two slots are declared by one long as the last constant: the pool count is one short.
    ClassBytes bytes = new ClassBytes("x/A");
    bytes.longConstant(42);
    byte[] raw = bytes.toBytes();
    raw[9]--;
    assertInvalid(raw, "");
  }

  @Test
  void malformedDescriptorsAreInvalidImageFormat() {
    for (String descriptor : List.of("", "V", "Q", "Lx/A", "L;", "Lx//A;", "Lx.A;", "[", "[V",
        "II", "Lx/A;I")) {
      ClassBytes field = new ClassBytes("x/A").field("f", descriptor);
      assertInvalid(field.toBytes(), "descriptor");
    }
    for (String descriptor : List.of("()", "(V)V", "(I", "I)V", "()VV", "()Lx/A", "(Lx/A)V")) {
      ClassBytes method = new ClassBytes("x/A").method(ClassFile.ACC_PUBLIC, "m", descriptor);
      assertInvalid(method.toBytes(), "descriptor");
    }
    ClassBytes nat = new ClassBytes("x/A");
    nat.nameAndType("m", "(Lx/A;");
    assertInvalid(nat.toBytes(), "descriptor");
  }

  @Test
  void malformedClassNamesAreInvalidImageFormat() {
    for (String name : List.of("", "/x", "x/", "x//y", "x.y", "x;y")) {
      ClassBytes bytes = new ClassBytes("x/A");
      bytes.classRef(name);
      assertInvalid(bytes.toBytes(), "malformed class name");
    }
  }

  @Test
  void aClassWithoutSuperclassOtherThanObjectIsInvalidImageFormat() {
    byte[] raw = new ClassBytes("x/A").toBytes();
    // super_class sits right after access_flags and this_class, before the empty tables.
    int superClass = raw.length - 2 - 2 - 2 - 2 - 2;
    raw[superClass] = 0;
    raw[superClass + 1] = 0;
    assertInvalid(raw, "no superclass");
  }

  private static ClassFile read(ClassBytes bytes) throws BadImageException {
    return ClassFile.read(bytes.toBytes(), "x/A.class");
  }

  private static void assertInvalid(byte[] bytes, String message) {
    assertThatThrownBy(() -> ClassFile.read(bytes, "x/A.class"))
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT));
  }

  static byte[] bytesOf(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }

  static Path classesDirectory() throws URISyntaxException {
    return Path.of(DriverLoader.class.getResource("DriverLoader.class").toURI()).getParent();
  }
}
