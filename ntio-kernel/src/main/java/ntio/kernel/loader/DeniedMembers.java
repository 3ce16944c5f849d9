package ntio.kernel.loader;

import java.util.List;

/**
 * The JDK members no driver image may refer to, whatever an administrator adds: the ones that
 * end the host, run code after the driver is gone, start processes, load native code, change the
 * whole JVM's state, reach the kernel's classes through a class loader, or look members up by
 * name and so reach all of the others through reflection. docs/security/image-policy.md says why
 * each is here and what is deliberately not.
 *
 * <p>{@code sun.misc.Unsafe}, {@code jdk.internal.*} and everything else outside {@code java.*},
 * {@code ntio.ddk.*} and {@code ntio.framework.*} need no rule here: no image may name them at all
 * ({@link ImageImports}).
 */
final class DeniedMembers {

  private DeniedMembers() {}

  /** The built-in rules, in {@link DeniedMember} syntax. */
  static final List<String> DEFAULTS = List.of(
      // Ending the host, or running driver code after the driver is gone.
      "java.lang.System#exit",
      "java.lang.Runtime#exit",
      "java.lang.Runtime#halt",
      "java.lang.Runtime#addShutdownHook",
      "java.lang.Runtime#removeShutdownHook",
      "java.lang.Thread#setDefaultUncaughtExceptionHandler",
      "java.lang.Thread#stop",
      "java.lang.Thread#suspend",
      "java.lang.Thread#resume",
      // Other processes: creating them, or signalling any process the host may signal.
      "java.lang.Runtime#exec",
      "java.lang.ProcessBuilder",
      "java.lang.ProcessHandle",
      // Native code, which no policy can see into.
      "java.lang.System#load",
      "java.lang.System#loadLibrary",
      "java.lang.Runtime#load",
      "java.lang.Runtime#loadLibrary",
      // The whole JVM's state, and hooks that would run driver code for every other caller.
      "java.lang.System#setSecurityManager",
      "java.lang.System#setIn",
      "java.lang.System#setOut",
      "java.lang.System#setErr",
      "java.lang.System#setProperties",
      "java.lang.System#setProperty",
      "java.lang.System#clearProperty",
      "java.security.Security#addProvider",
      "java.security.Security#insertProviderAt",
      "java.security.Security#removeProvider",
      "java.security.Security#setProperty",
      "java.security.Policy#setPolicy",
      "java.net.URL#setURLStreamHandlerFactory",
      "java.net.URLConnection#setContentHandlerFactory",
      "java.net.URLConnection#setFileNameMap",
      "java.net.Socket#setSocketImplFactory",
      "java.net.ServerSocket#setSocketFactory",
      "java.net.Authenticator#setDefault",
      "java.net.ProxySelector#setDefault",
      "java.net.CookieHandler#setDefault",
      "java.net.ResponseCache#setDefault",
      // Threads the driver did not make: finding them all, or the groups that hold them.
      "java.lang.Thread#getAllStackTraces",
      "java.lang.Thread#enumerate",
      "java.lang.ThreadGroup#enumerate",
      "java.lang.ThreadGroup#interrupt",
      "java.lang.ThreadGroup#stop",
      "java.lang.ThreadGroup#suspend",
      "java.lang.ThreadGroup#resume",
      "java.lang.ThreadGroup#destroy",
      // Class loaders that see the kernel's classes: any loader but the image's own and the
      // ones a driver makes with an explicit parent.
      "java.lang.ClassLoader#getSystemClassLoader",
      "java.lang.ClassLoader#getPlatformClassLoader",
      "java.lang.ClassLoader#getParent",
      "java.lang.ClassLoader#<init>()V",
      "java.security.SecureClassLoader#<init>()V",
      "java.net.URLClassLoader#<init>([Ljava/net/URL;)V",
      "java.net.URLClassLoader#newInstance([Ljava/net/URL;)Ljava/net/URLClassLoader;",
      "java.lang.Thread#getContextClassLoader",
      "java.lang.Thread#setContextClassLoader",
      "java.lang.Class#getClassLoader",
      "java.lang.Class#forName(Ljava/lang/Module;Ljava/lang/String;)Ljava/lang/Class;",
      "java.lang.Module#getClassLoader",
      "java.lang.ModuleLayer",
      "java.util.ServiceLoader#load(Ljava/lang/Class;)Ljava/util/ServiceLoader;",
      // Reflection: a member looked up by name could be any of the above, so no member is.
      "java.lang.reflect.AccessibleObject#setAccessible",
      "java.lang.reflect.AccessibleObject#trySetAccessible",
      "java.lang.Class#getMethod",
      "java.lang.Class#getMethods",
      "java.lang.Class#getDeclaredMethod",
      "java.lang.Class#getDeclaredMethods",
      "java.lang.Class#getConstructor",
      "java.lang.Class#getConstructors",
      "java.lang.Class#getDeclaredConstructor",
      "java.lang.Class#getDeclaredConstructors",
      "java.lang.Class#getField",
      "java.lang.Class#getFields",
      "java.lang.Class#getDeclaredField",
      "java.lang.Class#getDeclaredFields",
      "java.lang.Class#getEnclosingMethod",
      "java.lang.Class#getEnclosingConstructor",
      "java.lang.Class#getRecordComponents",
      "java.lang.Class#newInstance",
      "java.lang.reflect.Method#invoke",
      "java.lang.reflect.Constructor#newInstance",
      "java.lang.reflect.RecordComponent#getAccessor",
      "java.lang.reflect.Field#get",
      "java.lang.reflect.Field#getBoolean",
      "java.lang.reflect.Field#getByte",
      "java.lang.reflect.Field#getChar",
      "java.lang.reflect.Field#getShort",
      "java.lang.reflect.Field#getInt",
      "java.lang.reflect.Field#getLong",
      "java.lang.reflect.Field#getFloat",
      "java.lang.reflect.Field#getDouble",
      "java.lang.reflect.Field#set",
      "java.lang.reflect.Field#setBoolean",
      "java.lang.reflect.Field#setByte",
      "java.lang.reflect.Field#setChar",
      "java.lang.reflect.Field#setShort",
      "java.lang.reflect.Field#setInt",
      "java.lang.reflect.Field#setLong",
      "java.lang.reflect.Field#setFloat",
      "java.lang.reflect.Field#setDouble",
      "java.lang.invoke.MethodHandles$Lookup#*",
      "java.lang.invoke.MethodHandles#privateLookupIn",
      "java.lang.invoke.MethodHandles#reflectAs",
      "java.lang.invoke.MethodHandleInfo#reflectAs",
      "java.lang.invoke.ConstantBootstraps#*",
      // Reflection by name under another name: Statement, Expression, EventHandler, XMLDecoder,
      // Beans.instantiate and the Introspector all call any public member a string names.
      "java.beans.**");

  /** The built-in rules, parsed. */
  static List<DeniedMember> defaults() {
    return DEFAULTS.stream().map(DeniedMember::parse).toList();
  }
}
