/**
 * The kernel: the executive, the object manager, the registry, security, processes, the I/O
 * manager, the image loader and Driver Verifier. Only its boot, the top-level package {@code
 * ntio.kernel}, is exported: {@code Kernel.boot(KernelConfig)}, the in-process client {@code
 * LocalNt} and the rest of a host's surface, typed with {@code ntio.api}, {@code ntio.ddk}, {@code
 * ntio.hostfs} and JDK types. An embedder needs not even that: {@code ntio.api.Ntio.boot} finds the
 * kernel as the {@link ntio.api.KernelProvider} this module provides.
 *
 * <p>Driver images are not modules: the image loader defines each one's classes in the unnamed
 * module of its own class loader, whose only imports are {@code java.*}, {@code ntio.ddk} and
 * {@code ntio.framework} (found through the loader of {@code ntio.ddk}; the host, which carries the
 * framework for framework drivers, requires it so that it is in the boot layer). Nothing of the
 * kernel is exported to them.
 *
 * <p>Run as a named module, Driver Verifier's DV8 check (a shutdown hook that keeps an unloaded
 * image alive) needs {@code --add-opens java.base/java.lang=ntio.kernel}, as on the class path it
 * needs {@code ALL-UNNAMED}; without it that one holder is not seen. Error Prone's annotations are
 * compile-time only ({@code requires static}).
 */
module ntio.kernel {
  requires transitive ntio.api;
  requires transitive ntio.hostfs;
  requires com.h2database.mvstore;
  requires org.objectweb.asm;
  requires java.management;
  requires jdk.management;
  requires static com.google.errorprone.annotations;

  exports ntio.kernel;

  provides ntio.api.KernelProvider with ntio.kernel.EmbeddedKernels;
}
