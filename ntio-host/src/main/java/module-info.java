/**
 * The host: the daemon ({@code ntio host} and its wire protocol), the {@code ntio} command line and
 * the shell. It is a client of {@code ntio.api}, and reaches the kernel only through the kernel's
 * boot package {@code ntio.kernel}, which is all that module exports (ntio-host's
 * ArchitectureTest holds the same line class by class, and names the one exception still let
 * through). The host file system's primitives it shares with the kernel are {@code ntio.hostfs}.
 *
 * <p>It requires {@code ntio.framework} without compiling against it: framework drivers' images
 * link against the framework, which the kernel's image loader finds through the loader of the
 * DDK, so it must be in the boot layer. The command classes are opened to picocli, which sets
 * their annotated fields reflectively. The logging binding (slf4j-simple) and the route of the
 * kernel's {@code System.Logger} into it (slf4j-jdk-platform-logging) are service providers,
 * bound at run time. Error Prone's annotations are compile-time only ({@code requires static}).
 */
module ntio.host {
  requires ntio.kernel;
  requires ntio.framework;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires org.jline.reader;
  requires org.jline.terminal;
  requires jdk.net;
  requires static com.google.errorprone.annotations;

  exports ntio.host.daemon;
  exports ntio.host.wire;

  opens ntio.host.cli to info.picocli;
  opens ntio.host.shell to info.picocli;
}
