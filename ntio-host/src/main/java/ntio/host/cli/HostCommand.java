package ntio.host.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import ntio.host.daemon.HostLock;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;
import ntio.host.daemon.ServerLimits;
import ntio.host.daemon.StateDirectoryTrust;
import ntio.hostfs.FileTrust;
import ntio.hostfs.HostFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio host}: runs a kernel on the state directory and serves its socket until SIGTERM or
 * SIGINT.
 *
 * <p>It always runs in the foreground. A JVM cannot fork itself into the background (there is no
 * {@code fork()} that keeps a running JVM), and a re-executed child would only imitate what
 * systemd, a container runtime or {@code nohup … &} already do better: keep the process, its
 * logs and its restarts. {@code --foreground} is accepted for the scripts that pass it, and
 * changes nothing. See docs/operations.md.
 */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = {
      "Run the kernel as a daemon on the state directory and serve its Unix domain socket.",
      "Loads the boot, system and auto start drivers; SIGTERM or Ctrl-C unloads them in reverse"
          + " load order, flushes the registry hive and exits.",
      "Always runs in the foreground (supervise it with systemd or run it with nohup)."})
final class HostCommand implements Callable<Integer> {

  @ParentCommand
  NtioCommand root;

  @Option(names = "--state", paramLabel = "DIR",
      description = "State directory (as ntio --state). Default: $NTIO_STATE, else ./ntio-state.")
  Path state;

  @Option(names = "--socket", paramLabel = "PATH", description = "The socket to serve. Default: <state>/ntio.sock.")
  Path socket;

  @Option(names = "--admin-group", paramLabel = "GROUP",
      description = "Members of this group get an administrator token; the socket is given this group unless --socket-group says otherwise.")
  String adminGroup;

  @Option(names = "--socket-group", paramLabel = "GROUP",
      description = "The socket file's group (mode 0660): its members may connect, with a standard user token unless they are administrators.")
  String socketGroup;

  @Option(names = "--foreground",
      description = "Accepted for compatibility: the host always runs in the foreground.")
  boolean foreground;

  @Option(names = "--driver-call-timeout", paramLabel = "SECONDS",
      description = "Log a DriverEntry or DriverUnload still running after SECONDS at WARN, with its stack. Default: 10.")
  Long driverCallTimeoutSeconds;

  @Option(names = "--shutdown-grace", paramLabel = "SECONDS",
      description = "At shutdown, wait at most SECONDS for driver code (unloads, shutdown notifications);"
          + " then write a report naming the hung driver to <state>/crash and exit with code 4. Default: 15.")
  Long shutdownGraceSeconds;

  @Option(names = "--log-file", paramLabel = "FILE",
      description = "Append the log to FILE instead of stderr (e.g. <state>/logs/host.log).")
  Path logFile;

  @Option(names = "--handshake-timeout", paramLabel = "SECONDS",
      description = "Close a connection that has not sent its HELLO within this time. Default: 5.")
  double handshakeTimeout = ServerLimits.DEFAULT_HANDSHAKE_TIMEOUT.toMillis() / 1000.0;

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Connections served at once; beyond, STATUS_TOO_MANY_SESSIONS. Default: 1024.")
  int maxConnections = ServerLimits.DEFAULT_MAX_CONNECTIONS;

  @Option(names = "--max-connections-per-uid", paramLabel = "N",
      description = "Connections of one uid at once; beyond, STATUS_QUOTA_EXCEEDED. Default: 256.")
  int maxConnectionsPerUid = ServerLimits.DEFAULT_MAX_CONNECTIONS_PER_UID;

  @Option(names = "--max-requests-in-flight", paramLabel = "N",
      description = "Requests of one client in flight (synchronous and overlapped); beyond,"
          + " STATUS_QUOTA_EXCEEDED. Default: 256.")
  int maxRequestsInFlight = ServerLimits.DEFAULT_MAX_REQUESTS_IN_FLIGHT;

  @Option(names = "--calls-per-connection", paramLabel = "N",
      description = "Calls of one client running at once, each on a worker thread; beyond,"
          + " STATUS_INSUFFICIENT_RESOURCES. Default: 16.")
  int callsPerConnection = ServerLimits.DEFAULT_CALLS_PER_CONNECTION;

  @Option(names = "--image-dir", paramLabel = "DIR",
      description = "Allow driver images from DIR (and below) besides <state>/SystemRoot/System32/drivers;"
          + " repeatable. An image anywhere else is STATUS_DRIVER_BLOCKED (docs/security.md).")
  List<Path> imageDirectories = new ArrayList<>();

  @Option(names = "--process-quota", paramLabel = "BYTES",
      description = "Each client process's non-paged pool quota: its requests' payloads and the output"
          + " they ask for are charged to it; beyond, STATUS_QUOTA_EXCEEDED. Default: 16777216 (16 MiB).")
  Long processQuota;

  @Override
  public Integer call() throws InterruptedException {
    Path stateDirectory = state != null ? state : root.stateDirectory();
    if (logFile != null) {
      try {
        prepareLogFile(logFile.toAbsolutePath());
      } catch (IOException e) {
        root.err().println("ntio: cannot create the log file " + logFile + ": " + e.getMessage());
        return ExitCodes.NT_FAILURE;
      } catch (StateDirectoryTrust.UntrustedStateDirectoryException e) {
        root.err().println("ntio: " + e.getMessage());
        return ExitCodes.NT_FAILURE;
      }
      // Read by SLF4J's simple binding when the first logger is made, which is below.
      System.setProperty("org.slf4j.simpleLogger.logFile", logFile.toAbsolutePath().toString());
    }
    HostOptions options = HostOptions.of(stateDirectory).withAdminGroup(adminGroup).withSocketGroup(socketGroup);
    try {
      options = options.withLimits(ServerLimits.DEFAULTS
          .withHandshakeTimeout(Duration.ofMillis(Math.round(handshakeTimeout * 1000)))
          .withConnections(maxConnections, maxConnectionsPerUid)
          .withRequestsInFlight(maxRequestsInFlight)
          .withCallsPerConnection(callsPerConnection));
      if (processQuota != null) {
        options = options.withKernelConfig(options.kernelConfig()
            .withProcessQuota(options.kernelConfig().processPagedQuota(), processQuota));
      }
    } catch (IllegalArgumentException e) {
      root.err().println("ntio: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if ((driverCallTimeoutSeconds != null && driverCallTimeoutSeconds <= 0)
        || (shutdownGraceSeconds != null && shutdownGraceSeconds <= 0)) {
      root.err().println("ntio: --driver-call-timeout and --shutdown-grace take a positive number of seconds");
      return ExitCodes.USAGE;
    }
    if (!imageDirectories.isEmpty()) {
      options = options.withKernelConfig(options.kernelConfig().withImageDirectories(
          imageDirectories.stream().map(d -> d.toAbsolutePath().normalize()).toList()));
    }
    if (driverCallTimeoutSeconds != null) {
      options = options.withKernelConfig(
          options.kernelConfig().withDriverCallTimeout(Duration.ofSeconds(driverCallTimeoutSeconds)));
    }
    if (shutdownGraceSeconds != null) {
      options = options.withShutdownGrace(Duration.ofSeconds(shutdownGraceSeconds));
    }
    Path socketPath = socket != null ? socket : root.socket;
    if (socketPath != null) {
      options = options.withSocket(socketPath);
    }
    HostRuntime host;
    try {
      host = HostRuntime.start(options);
    } catch (HostLock.HostAlreadyRunningException | StateDirectoryTrust.UntrustedStateDirectoryException e) {
      root.err().println("ntio: " + e.getMessage());
      return ExitCodes.NT_FAILURE;
    } catch (UncheckedIOException e) {
      root.err().println("ntio: " + e.getMessage() + ": " + e.getCause().getMessage());
      return ExitCodes.NT_FAILURE;
    }
    root.out().println("ntio host: pid " + host.holder().pid() + " serving " + host.socketPath()
        + " (state " + options.stateDirectory() + "); SIGTERM or Ctrl-C stops it");
    root.out().flush();
    host.awaitShutdown();
    return host.shutdown().hung() ? ExitCodes.HUNG_DRIVER : ExitCodes.SUCCESS;
  }

  /**
   * Makes the log file the host's before the logger appends to it (the logger follows links): its
   * directories must be trusted as the state directory's are, a missing directory is made 0700
   * and a missing file 0600, and an existing file must be the host's regular file.
   */
  private static void prepareLogFile(Path file) throws IOException {
    FileTrust trust = FileTrust.forThisProcess();
    List<FileTrust.Problem> problems = new ArrayList<>();
    trust.checkAncestors(file).ifPresent(problems::add);
    if (problems.isEmpty()) {
      HostFiles.createPrivateDirectories(file.getParent());
      try {
        HostFiles.createFile(file, HostFiles.PRIVATE_FILE);
      } catch (FileAlreadyExistsException e) {
        trust.checkOwn(file, FileTrust.Kind.REGULAR_FILE).ifPresent(problems::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new StateDirectoryTrust.UntrustedStateDirectoryException(file.getParent(), trust.uid(), problems);
    }
  }
}
