package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.host.daemon.ClientPolicy;
import ntio.host.daemon.ServerLimits;
import ntio.host.daemon.SocketServer;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.security.Sid;

/**
 * A booted kernel with a {@link SocketServer} on a socket in a temporary directory, for the wire
 * and daemon tests: clients connect with {@link #connect()}; {@link #local(String)} gives an
 * in-process client of the same kernel to compare with.
 */
public final class TestDaemon implements AutoCloseable {

  /** Where services live, as a client spells it. */
  public static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  private final Kernel kernel;
  private final SocketServer server;

  private TestDaemon(Kernel kernel, SocketServer server) {
    this.kernel = kernel;
    this.server = server;
  }

  /** Every client an administrator (the test runs as the host's uid). */
  public static TestDaemon start(Path directory) throws IOException {
    return start(directory, ClientPolicy.forThisHost(java.util.Set.of()));
  }

  /** With the given policy. */
  public static TestDaemon start(Path directory, ClientPolicy policy) throws IOException {
    return start(directory, policy, ServerLimits.DEFAULTS, config -> config);
  }

  /** Every client an administrator, within these limits. */
  public static TestDaemon start(Path directory, ServerLimits limits) throws IOException {
    return start(directory, ClientPolicy.forThisHost(java.util.Set.of()), limits, config -> config);
  }

  /** With the given policy and limits, on a kernel configured by {@code config} from the defaults. */
  public static TestDaemon start(Path directory, ClientPolicy policy, ServerLimits limits,
      java.util.function.UnaryOperator<KernelConfig> config) throws IOException {
    Kernel kernel = Kernel.boot(config.apply(KernelConfig.of(directory.resolve("state"))));
    try {
      return new TestDaemon(kernel, SocketServer.start(kernel, directory.resolve("ntio.sock"), policy, limits));
    } catch (IOException | RuntimeException e) {
      kernel.shutdown();
      throw e;
    }
  }

  public Kernel kernel() {
    return kernel;
  }

  public SocketServer server() {
    return server;
  }

  public Path socket() {
    return server.socketPath();
  }

  /** A new client over the socket. */
  public RemoteNt connect() throws IOException {
    return RemoteNt.connect(socket(), "test");
  }

  /** A new in-process administrator client of the same kernel. */
  public LocalNt local(String name) {
    return new LocalNt(kernel, kernel.administratorSession(name, Sid.unixUser(0)));
  }

  /** Enables a privilege in the client's token. */
  public static void enable(NtApi nt, Privilege privilege) {
    assertThat(nt.adjustPrivileges(List.of(LuidAndAttributes.enable(privilege))).status().isSuccess()).isTrue();
  }

  /**
   * Installs a sample driver shipped in the host's classes ({@code /ntio/drivers/<name>.jar}) as an
   * installer does, through {@code nt}: copies the image and writes its service key.
   */
  public void installSample(NtApi nt, String name) {
    Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    try (InputStream image = TestDaemon.class.getResourceAsStream("/ntio/drivers/" + name + ".jar")) {
      assertThat(image).as("the host build copies the sample images into its classes").isNotNull();
      Files.createDirectories(drivers);
      Files.copy(image, drivers.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KeyCreateResult key = nt.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(SERVICES + name), 0);
    assertThat(key.status().isSuccess()).as("create the service key: %s", key.status()).isTrue();
    for (RegValue value : List.of(RegValue.dword("Type", 1), RegValue.dword("Start", 3),
        RegValue.expandString("ImagePath", "System32\\drivers\\" + name + ".jar"))) {
      assertThat(nt.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data()))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(nt.close(key.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Installs and loads a sample driver through {@code nt}, enabling SeLoadDriverPrivilege. */
  public void loadSample(NtApi nt, String name) {
    installSample(nt, name);
    enable(nt, Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    assertThat(nt.loadDriver(UnicodeString.of(SERVICES + name))).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** Opens {@code \??\Echo} for reading and writing. */
  public static Handle openEcho(NtApi nt) {
    var opened = nt.createFile(AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of("\\??\\Echo"), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return opened.handle();
  }

  /** Whether a driver object of this name is loaded. */
  public boolean hasDriver(String driverName) {
    return kernel.io().drivers().stream().anyMatch(d -> d.name().equalsIgnoreCase(driverName));
  }

  @Override
  public void close() {
    server.close();
    kernel.shutdown();
  }
}
