package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import ntio.ddk.DriverEntry;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.denied.CleanModernDriver;
import ntio.kernel.loader.denied.ExitingDriver;
import ntio.kernel.loader.denied.InheritedLoaderDriver;
import ntio.kernel.loader.denied.KernelLoaderDriver;
import ntio.kernel.loader.denied.MethodReferenceExitDriver;
import ntio.kernel.loader.denied.ReflectiveExitDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The image policy's deny list: an image that refers to a JDK member that would end or escape the
 * host is refused at map time, before any of its classes is defined, with
 * STATUS_DRIVER_BLOCKED_CRITICAL and a detail naming the member and the image class.
 */
class MemberPolicyTest {

  private static final String PWN = "pwn/PwnDriver";

  @TempDir Path temp;

  private LoaderFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new LoaderFixture(temp);
  }

  /** The members issue 14 names, each with a descriptor javac would write. */
  static Stream<Arguments> membersTheIssueNames() {
    return Stream.of(
        member("java/lang/System", "exit", "(I)V"),
        member("java/lang/Runtime", "exit", "(I)V"),
        member("java/lang/Runtime", "halt", "(I)V"),
        member("java/lang/Runtime", "addShutdownHook", "(Ljava/lang/Thread;)V"),
        member("java/lang/Runtime", "removeShutdownHook", "(Ljava/lang/Thread;)Z"),
        member("java/lang/Runtime", "exec", "(Ljava/lang/String;)Ljava/lang/Process;"),
        member("java/lang/ProcessBuilder", "<init>", "([Ljava/lang/String;)V"),
        member("java/lang/ProcessBuilder", "start", "()Ljava/lang/Process;"),
        interfaceMember("java/lang/ProcessHandle", "of", "(J)Ljava/util/Optional;"),
        interfaceMember("java/lang/ProcessHandle", "destroyForcibly", "()Z"),
        member("java/lang/Thread", "setDefaultUncaughtExceptionHandler",
            "(Ljava/lang/Thread$UncaughtExceptionHandler;)V"),
        member("java/lang/ClassLoader", "getSystemClassLoader", "()Ljava/lang/ClassLoader;"),
        member("java/lang/ClassLoader", "getPlatformClassLoader", "()Ljava/lang/ClassLoader;"),
        member("java/lang/ClassLoader", "getParent", "()Ljava/lang/ClassLoader;"),
        member("java/lang/ClassLoader", "<init>", "()V"),
        member("java/lang/Thread", "getContextClassLoader", "()Ljava/lang/ClassLoader;"),
        member("java/lang/Thread", "setContextClassLoader", "(Ljava/lang/ClassLoader;)V"),
        member("java/lang/Class", "getClassLoader", "()Ljava/lang/ClassLoader;"),
        member("java/lang/reflect/AccessibleObject", "setAccessible", "(Z)V"),
        member("java/lang/reflect/AccessibleObject", "trySetAccessible", "()Z"),
        member("java/lang/Thread", "getAllStackTraces", "()Ljava/util/Map;"),
        member("java/lang/Thread", "enumerate", "([Ljava/lang/Thread;)I"),
        member("java/lang/ThreadGroup", "enumerate", "([Ljava/lang/Thread;)I"),
        member("java/lang/ThreadGroup", "interrupt", "()V"),
        member("java/lang/System", "setSecurityManager", "(Ljava/lang/SecurityManager;)V"),
        member("java/lang/System", "setIn", "(Ljava/io/InputStream;)V"),
        member("java/lang/System", "setOut", "(Ljava/io/PrintStream;)V"),
        member("java/lang/System", "setErr", "(Ljava/io/PrintStream;)V"),
        member("java/lang/System", "load", "(Ljava/lang/String;)V"),
        member("java/lang/System", "loadLibrary", "(Ljava/lang/String;)V"),
        member("java/lang/Runtime", "load", "(Ljava/lang/String;)V"),
        member("java/lang/Runtime", "loadLibrary", "(Ljava/lang/String;)V"),
        member("java/lang/invoke/MethodHandles", "privateLookupIn",
            "(Ljava/lang/Class;Ljava/lang/invoke/MethodHandles$Lookup;)"
                + "Ljava/lang/invoke/MethodHandles$Lookup;"),
        member("java/lang/invoke/MethodHandles$Lookup", "findStatic",
            "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                + "Ljava/lang/invoke/MethodHandle;"),
        member("java/lang/Class", "getMethod",
            "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;"),
        member("java/lang/Class", "getDeclaredField",
            "(Ljava/lang/String;)Ljava/lang/reflect/Field;"),
        member("java/lang/reflect/Method", "invoke",
            "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;"),
        member("java/beans/Expression", "getValue", "()Ljava/lang/Object;"));
  }

  private static Arguments member(String owner, String name, String descriptor) {
    return Arguments.of(owner, name, descriptor, false);
  }

  private static Arguments interfaceMember(String owner, String name, String descriptor) {
    return Arguments.of(owner, name, descriptor, true);
  }

  @ParameterizedTest(name = "{0}.{1}{2}")
  @MethodSource("membersTheIssueNames")
  void anImageReferringToADeniedMemberIsBlockedNamingTheMemberAndTheClass(String owner,
      String name, String descriptor, boolean isInterface) {
    writeImage(referring(owner, name, descriptor, isInterface));

    assertBlocked("denied member: " + owner.replace('/', '.') + "." + name + descriptor
        + ", referenced by pwn.PwnDriver");
  }

  /** Every built-in rule, each in an image of its own. */
  static Stream<String> builtInRules() {
    return DeniedMembers.DEFAULTS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInRules")
  void everyBuiltInRuleBlocksAnImageThatRefersToIt(String text) {
    DeniedMember rule = DeniedMember.parse(text);
    String owner = rule.owner().endsWith("/") ? rule.owner() + "Statement" : rule.owner();
    String name = rule.member() == null || rule.member().equals("*") ? "anything" : rule.member();
    String descriptor = rule.descriptor() != null ? rule.descriptor() : "()V";
    writeImage(referring(owner, name, descriptor, false));

    assertBlocked(owner.replace('/', '.') + "." + name + descriptor
        + ", referenced by pwn.PwnDriver (image policy rule " + text + ")");
  }

  @Test
  void systemExitInDriverEntryIsBlockedBeforeAnyClassIsDefined() {
    DriverJars.driver(fixture.drivers, "Echo.jar", ExitingDriver.class);

    assertBlocked("denied member: java.lang.System.exit(I)V, referenced by "
        + ExitingDriver.class.getName());
    assertThat(fixture.loader.loadedImages()).isEmpty();
  }

  @Test
  void reachingSystemExitByNameThroughReflectionIsBlocked() {
    DriverJars.driver(fixture.drivers, "Echo.jar", ReflectiveExitDriver.class);

    assertBlocked("denied member: java.lang.Class.getMethod(Ljava/lang/String;"
        + "[Ljava/lang/Class;)Ljava/lang/reflect/Method;, referenced by "
        + ReflectiveExitDriver.class.getName());
  }

  @Test
  void aMethodReferenceToSystemExitIsBlocked() {
    DriverJars.driver(fixture.drivers, "Echo.jar", MethodReferenceExitDriver.class);

    assertBlocked("denied member: java.lang.System.exit(I)V, referenced by "
        + MethodReferenceExitDriver.class.getName());
  }

  @Test
  void aMethodHandleConstantToADeniedMemberIsBlocked() {
    ClassWriter writer = driverClass();
    writer.newHandle(Opcodes.H_INVOKESTATIC, "java/lang/Runtime", "getRuntime",
        "()Ljava/lang/Runtime;", false);
    writer.newHandle(Opcodes.H_INVOKEVIRTUAL, "java/lang/Runtime", "halt", "(I)V", false);
    writeImage(writer.toByteArray());

    assertBlocked("denied member: java.lang.Runtime.halt(I)V, referenced by pwn.PwnDriver");
  }

  @Test
  void askingAKernelObjectForItsClassLoaderIsBlocked() {
    DriverJars.driver(fixture.drivers, "Echo.jar", KernelLoaderDriver.class);

    assertBlocked("denied member: java.lang.Class.getClassLoader()Ljava/lang/ClassLoader;,"
        + " referenced by " + KernelLoaderDriver.class.getName());
  }

  @Test
  void aDeniedMemberNamedThroughTheImagesOwnSubclassIsBlocked() {
    DriverJars.image("Echo.jar").entry(InheritedLoaderDriver.class).writeTo(fixture.drivers);

    assertBlocked("denied member: java.lang.Thread.getContextClassLoader()Ljava/lang/ClassLoader;"
        + " (named as " + InheritedLoaderDriver.Worker.class.getName()
        + ".getContextClassLoader()Ljava/lang/ClassLoader;), referenced by "
        + InheritedLoaderDriver.Worker.class.getName());
  }

  @Test
  void setAccessibleNamedThroughFieldIsBlockedAsAccessibleObjects() {
    writeImage(referring("java/lang/reflect/Field", "setAccessible", "(Z)V", false));

    assertBlocked("denied member: java.lang.reflect.AccessibleObject.setAccessible(Z)V"
        + " (named as java.lang.reflect.Field.setAccessible(Z)V), referenced by pwn.PwnDriver");
  }

  @Test
  void aDeniedClassNamedOnlyAsATypeIsBlocked() {
    ClassWriter writer = driverClass();
    writer.visitField(Opcodes.ACC_STATIC, "builder", "Ljava/lang/ProcessBuilder;", null, null)
        .visitEnd();
    writeImage(writer.toByteArray());

    assertBlocked("denied class: java.lang.ProcessBuilder, referenced by pwn.PwnDriver");
  }

  @Test
  void whatJavacEmitsForLambdasRecordsAndStringsIsNotDenied() {
    DriverJars.driver(fixture.drivers, "Echo.jar", CleanModernDriver.class);

    DriverEntry entry = fixture.mapped("Echo", ECHO).newEntryPoint().driverEntry();

    assertThat(entry.driverEntry(null, ntio.ddk.UnicodeString.of("x"))).isEqualTo(
        NtStatus.STATUS_SUCCESS);
  }

  @Test
  void anAdministratorsRuleBlocksWhatTheDefaultsAllow() {
    DriverJars.driver(fixture.drivers, "Echo.jar", CleanModernDriver.class);
    MemberPolicy stricter = MemberPolicy.defaults().withAdditional(List.of("java.util.List#of"));
    DriverLoader loader = new DriverLoader(fixture.systemRoot,
        ImagePolicy.defaults(fixture.systemRoot).withMembers(stricter));

    DriverLoader.MapResult result = loader.map("Echo", ECHO);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED_CRITICAL);
    assertThat(result.detail()).startsWith("denied member: java.util.List.of(")
        .endsWith("(image policy rule java.util.List#of)");
  }

  @Test
  void aMalformedRuleIsRefusedNamingIt() {
    assertThatThrownBy(() -> MemberPolicy.defaults().withAdditional(List.of("java/lang/System")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java/lang/System");
    assertThat(MemberPolicy.problemWith("java.lang.System#exit(I")).isPresent();
    assertThat(MemberPolicy.problemWith("java.lang.System#")).isPresent();
    assertThat(MemberPolicy.problemWith("not a class#exit")).isPresent();
    assertThat(MemberPolicy.problemWith("java.lang.System#exit(I)V")).isEmpty();
    assertThat(MemberPolicy.problemWith("java.lang.invoke.MethodHandles$Lookup#*")).isEmpty();
  }

  @Test
  void aKernelConfiguredNotToEnforceTheListLoadsWhatItDenies() {
    DriverJars.driver(fixture.drivers, "Echo.jar", ExitingDriver.class);
    DriverLoader loader = new DriverLoader(fixture.systemRoot,
        ImagePolicy.defaults(fixture.systemRoot).withMembers(MemberPolicy.none()));

    assertThat(loader.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void sunMiscUnsafeAndJdkInternalAreNotExportedAtAll() {
    writeImage(referring("jdk/internal/misc/Unsafe", "getUnsafe",
        "()Ljdk/internal/misc/Unsafe;", false));

    DriverLoader.MapResult result = fixture.loader.map("Echo", ECHO);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND);
    assertThat(result.detail()).contains("jdk.internal.misc.Unsafe, referenced by pwn.PwnDriver");
  }

  // ---------------------------------------------------------------------------------------------

  private void assertBlocked(String detail) {
    DriverLoader.MapResult result = fixture.loader.map("Echo", ECHO);
    assertThat(result.status()).as(result.detail())
        .isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED_CRITICAL);
    assertThat(result.detail()).contains(detail);
    assertThat(result.image()).isNull();
  }

  private void writeImage(byte[] entryClass) {
    DriverJars.image("Echo.jar").attribute("Ntio-Driver-Entry", PWN.replace('/', '.'))
        .file(PWN + ".class", entryClass).writeTo(fixture.drivers);
  }

  /** A driver class whose code calls {@code owner.name descriptor} (never run). */
  private static byte[] referring(String owner, String name, String descriptor,
      boolean isInterface) {
    ClassWriter writer = driverClass();
    MethodVisitor touch = writer.visitMethod(Opcodes.ACC_STATIC, "touch", "()V", null, null);
    touch.visitCode();
    // The arguments are not pushed: the class is refused before it could be defined or verified.
    touch.visitMethodInsn(name.equals("<init>") ? Opcodes.INVOKESPECIAL
        : isInterface ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKESTATIC,
        owner, name, descriptor, isInterface);
    touch.visitInsn(Opcodes.RETURN);
    touch.visitMaxs(8, 0);
    touch.visitEnd();
    return writer.toByteArray();
  }

  /** {@code pwn.PwnDriver}: a public DriverEntry with a public no-argument constructor. */
  private static ClassWriter driverClass() {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, PWN, null,
        "java/lang/Object", new String[] {"ntio/ddk/DriverEntry"});
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(1, 1);
    init.visitEnd();
    MethodVisitor entry = writer.visitMethod(Opcodes.ACC_PUBLIC, "driverEntry",
        "(Lntio/ddk/DriverObject;Lntio/ddk/UnicodeString;)Lntio/ddk/NtStatus;", null, null);
    entry.visitCode();
    entry.visitFieldInsn(Opcodes.GETSTATIC, "ntio/ddk/NtStatus", "STATUS_SUCCESS",
        "Lntio/ddk/NtStatus;");
    entry.visitInsn(Opcodes.ARETURN);
    entry.visitMaxs(1, 3);
    entry.visitEnd();
    return writer;
  }

}
