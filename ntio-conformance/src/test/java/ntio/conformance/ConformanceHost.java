package ntio.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;
import ntio.host.wire.RemoteNt;
import ntio.kernel.Kernel;
import ntio.kernel.testing.DriverJars;

/**
 * A real {@code ntio host} for one conformance test class: started in this JVM on a fresh state
 * directory (mode 0700, owned by the test's uid, as {@code StateDirectoryTrust} demands), serving
 * its Unix socket, and handing out real clients ({@link RemoteNt}) that reach it over that socket.
 *
 * <p>Test drivers are installed as an administrator would install a third-party driver: the image
 * is built from test classes at test time ({@link DriverJars}) with {@link KernelOk} packed in,
 * copied into {@code SystemRoot\System32\drivers}, and its service key (Type 1, Start 3 demand,
 * ImagePath) is written through a client's {@code NtCreateKey}/{@code NtSetValueKey}. Loading and
 * unloading go through the administrator client's {@code NtLoadDriver}/{@code NtUnloadDriver}
 * with {@code SeLoadDriverPrivilege} enabled, as {@code sc start}/{@code sc stop} do.
 *
 * <p>{@link #close()} closes every client it handed out, shuts the host down and fails (with an
 * {@link AssertionError}) if driver code outlived the shutdown's grace period. Not thread-safe:
 * one test thread drives it.
 */
public final class ConformanceHost implements AutoCloseable {

  /** Where services live, as a client spells it. */
  public static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  /** How long a shutdown may wait for DriverUnload before it is reported as hung. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final Path state;
  private final HostRuntime runtime;
  private final List<RemoteNt> clients = new ArrayList<>();
  private final RemoteNt admin;
  private boolean closed;

  private ConformanceHost(Path state, HostRuntime runtime) {
    this.state = state;
    this.runtime = runtime;
    this.admin = connect("conformance-admin");
    assertThat(admin.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)))
        .status()).as("enable SeLoadDriverPrivilege for the administrator client").isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Starts a host on a new temporary state directory, which {@link #close()} deletes. */
  public static ConformanceHost start() {
    Path state;
    try {
      state = Files.createTempDirectory("ntio-conformance-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HostRuntime runtime = HostRuntime.start(HostOptions.of(state)
        .withShutdownHook(false)
        .withShutdownGrace(SHUTDOWN_GRACE));
    return new ConformanceHost(state, runtime);
  }

  /** The host's state directory. */
  public Path stateDirectory() {
    return state;
  }

  /** The socket clients connect to. */
  public Path socketPath() {
    return runtime.socketPath();
  }

  /**
   * Whether the host's kernel bug-checked (a driver or the kernel hit a fatal condition): it
   * serves no more calls, each returning {@code STATUS_SYSTEM_SHUTDOWN}, so a test class whose
   * tests are independent starts a new host rather than failing every test after.
   */
  public boolean isHalted() {
    return runtime.kernel().bugChecks().isHalted();
  }

  /** The bug check that halted the kernel, described; empty while it runs. */
  public java.util.Optional<String> bugCheck() {
    return runtime.kernel().bugChecks().first().map(Object::toString);
  }

  /** The host itself (for what a client cannot see, such as the shutdown report). */
  public HostRuntime runtime() {
    return runtime;
  }

  /**
   * The administrator client the harness installs and loads drivers with ({@code
   * SeLoadDriverPrivilege} enabled). Tests may use it as their user-mode half too.
   */
  public RemoteNt admin() {
    return admin;
  }

  /**
   * A new client: a process named {@code processName} connected over the socket, with the token
   * the host gives this uid (the test runs as the host's uid, so an administrator token, its
   * privileges present but not enabled). Closed by {@link #close()} if the test has not.
   */
  public RemoteNt connect(String processName) {
    try {
      RemoteNt client = RemoteNt.connect(runtime.socketPath(), processName);
      clients.add(client);
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException("connect to " + runtime.socketPath(), e);
    }
  }

  /** {@code \SystemRoot\System32\drivers} of the state directory. */
  public Path driversDirectory() {
    return state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
  }

  /**
   * Installs a driver whose entry class is {@code entry} (with {@code more} and every nested class
   * of each) as the demand-start service {@code service}, image {@code <service>.jar}.
   *
   * @return the service key's name, for {@code NtLoadDriver}
   */
  public String installDriver(String service, Class<?> entry, Class<?>... more) {
    return installDriver(service, DriverJars.image(service + ".jar").entry(entry).add(more));
  }

  /**
   * Installs the image {@code image} (with {@link KernelOk} added to it) as the demand-start
   * service {@code service}: writes it into the drivers directory under the builder's file name
   * and writes the service key through the administrator client.
   *
   * @return the service key's name, for {@code NtLoadDriver}
   */
  public String installDriver(String service, DriverJars.Builder image) {
    Objects.requireNonNull(service, "service");
    Path written = image.add(KernelOk.class).writeTo(driversDirectory());
    String key = SERVICES + service;
    setValue(key, RegValue.dword("Type", 1));
    setValue(key, RegValue.dword("Start", 3));
    setValue(key, RegValue.expandString("ImagePath", "System32\\drivers\\" + written.getFileName()));
    return key;
  }

  /** {@code NtLoadDriver} of the service, by the administrator client. */
  public NtStatus loadDriver(String service) {
    return admin.loadDriver(UnicodeString.of(SERVICES + service));
  }

  /** {@code NtUnloadDriver} of the service, by the administrator client. */
  public NtStatus unloadDriver(String service) {
    return admin.unloadDriver(UnicodeString.of(SERVICES + service));
  }

  /** Sets a value through the administrator client, creating the key (its parent must exist). */
  public void setValue(String keyPath, RegValue value) {
    KeyCreateResult created = admin.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyPath), 0);
    assertThat(created.status().isSuccess()).as("create %s: %s", keyPath, created.status()).isTrue();
    Handle key = created.handle();
    try {
      assertThat(admin.setValueKey(key, UnicodeString.of(value.name()), value.type(), value.data()))
          .as("set %s in %s", value.name(), keyPath).isEqualTo(NtStatus.STATUS_SUCCESS);
    } finally {
      admin.close(key);
    }
  }

  /**
   * Closes every client, shuts the host down and deletes the state directory.
   *
   * @throws AssertionError if the shutdown hung on driver code (its report names the calls)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = clients.size() - 1; i >= 0; i--) {
      clients.get(i).close();
    }
    HostRuntime.ShutdownReport report = runtime.shutdown();
    if (!report.hung()) {
      deleteTree(state);
    }
    assertThat(report.hung())
        .as("host shutdown hung: driver calls still running %s, report %s (state kept at %s)",
            report.hungDrivers(), report.hungReport(), state)
        .isFalse();
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("delete " + root, e);
    }
  }
}
