package ntio.host.daemon;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import ntio.kernel.KernelConfig;

/**
 * How a {@link HostRuntime} runs: the state directory and its kernel configuration, the socket it
 * serves, the group whose members get an administrator token, what serves the socket, and whether
 * a JVM shutdown hook stops the host on SIGTERM or SIGINT.
 *
 * <p>Immutable; start from {@link #of(Path)} and change one thing at a time with the {@code with…}
 * methods.
 *
 * @param kernelConfig the kernel to boot; its state directory is the host's
 * @param socketPath the Unix domain socket to serve; by default {@code <state>/ntio.sock}
 * @param adminGroup the POSIX group whose members are administrators, or {@code null} for none
 * @param socketGroup the POSIX group the socket file is given (mode 0660: its members may connect,
 *     and get a standard user token unless they are administrators), or {@code null} for the admin
 *     group when one is set, else the host's own group
 * @param listener what serves the socket once the kernel is up
 * @param limits what the built-in listener allows each client and all of them ({@link
 *     ServerLimits#DEFAULTS} by default)
 * @param shutdownHook whether {@link HostRuntime#start} installs a JVM shutdown hook that calls
 *     {@link HostRuntime#shutdown()} (true for the command line; tests that run several hosts in
 *     one JVM turn it off)
 * @param shutdownGrace how long {@link HostRuntime#shutdown()} waits for the part that runs
 *     driver code (unloads, shutdown notifications) before it reports the hung driver and gives
 *     up on it; {@link #DEFAULT_SHUTDOWN_GRACE} by default
 */
public record HostOptions(
    KernelConfig kernelConfig,
    Path socketPath,
    String adminGroup,
    String socketGroup,
    HostRuntime.ListenerFactory listener,
    ServerLimits limits,
    boolean shutdownHook,
    java.time.Duration shutdownGrace) {

  /** How long a shutdown waits for driver code by default. */
  public static final java.time.Duration DEFAULT_SHUTDOWN_GRACE = java.time.Duration.ofSeconds(15);

  /** The socket's file name inside the state directory. */
  public static final String SOCKET_FILE = "ntio.sock";

  /** The lock file's name inside the state directory. */
  public static final String LOCK_FILE = "ntio.lock";

  public HostOptions {
    Objects.requireNonNull(kernelConfig, "kernelConfig");
    Objects.requireNonNull(socketPath, "socketPath");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (shutdownGrace.isNegative() || shutdownGrace.isZero()) {
      throw new IllegalArgumentException("the shutdown grace period must be positive: " + shutdownGrace);
    }
  }

  /**
   * The defaults for a state directory: the kernel's default configuration, {@code
   * <state>/ntio.sock}, no admin group, a shutdown hook, and the built-in listener with the default
   * limits.
   */
  public static HostOptions of(Path stateDirectory) {
    Path state = stateDirectory.toAbsolutePath().normalize();
    return new HostOptions(KernelConfig.of(state), state.resolve(SOCKET_FILE), null, null,
        HostRuntime.ListenerFactory.DEFAULT, ServerLimits.DEFAULTS, true, DEFAULT_SHUTDOWN_GRACE);
  }

  /** The state directory. */
  public Path stateDirectory() {
    return kernelConfig.stateDirectory();
  }

  /** {@code <state>/ntio.lock}. */
  public Path lockFile() {
    return stateDirectory().resolve(LOCK_FILE);
  }

  /** The admin group, when one is configured. */
  public Optional<String> adminGroupName() {
    return Optional.ofNullable(adminGroup);
  }

  /** The same options serving another socket. */
  public HostOptions withSocket(Path socket) {
    return new HostOptions(kernelConfig, socket.toAbsolutePath().normalize(), adminGroup, socketGroup, listener, limits, shutdownHook, shutdownGrace);
  }

  /** The same options with an admin group ({@code null} for none). */
  public HostOptions withAdminGroup(String group) {
    return new HostOptions(kernelConfig, socketPath, group, socketGroup, listener, limits, shutdownHook, shutdownGrace);
  }

  /** The same options giving the socket to {@code group} ({@code null}: the default). */
  public HostOptions withSocketGroup(String group) {
    return new HostOptions(kernelConfig, socketPath, adminGroup, group, listener, limits, shutdownHook, shutdownGrace);
  }

  /** The group the socket file is given: the socket group, else the admin group, when either is set. */
  public Optional<String> socketGroupName() {
    return Optional.ofNullable(socketGroup != null ? socketGroup : adminGroup);
  }

  /** The same options with what serves the socket. */
  public HostOptions withListener(HostRuntime.ListenerFactory factory) {
    return new HostOptions(kernelConfig, socketPath, adminGroup, socketGroup, factory, limits, shutdownHook, shutdownGrace);
  }

  /** The same options with other limits for the built-in listener. */
  public HostOptions withLimits(ServerLimits serverLimits) {
    return new HostOptions(kernelConfig, socketPath, adminGroup, socketGroup, listener, serverLimits, shutdownHook, shutdownGrace);
  }

  /** The same options with or without the JVM shutdown hook. */
  public HostOptions withShutdownHook(boolean install) {
    return new HostOptions(kernelConfig, socketPath, adminGroup, socketGroup, listener, limits, install, shutdownGrace);
  }

  /**
   * The same options with another shutdown grace period: how long a shutdown waits for driver
   * code before it reports the hung driver and gives up on it.
   */
  public HostOptions withShutdownGrace(java.time.Duration grace) {
    return new HostOptions(kernelConfig, socketPath, adminGroup, socketGroup, listener, limits, shutdownHook, grace);
  }

  /** The same options booting another kernel configuration; its state directory must not change. */
  public HostOptions withKernelConfig(KernelConfig config) {
    if (!config.stateDirectory().toAbsolutePath().normalize()
        .equals(stateDirectory().toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("the kernel configuration is for " + config.stateDirectory()
          + ", not the host's state directory " + stateDirectory());
    }
    return new HostOptions(config, socketPath, adminGroup, socketGroup, listener, limits, shutdownHook, shutdownGrace);
  }
}
