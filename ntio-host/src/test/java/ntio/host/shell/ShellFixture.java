package ntio.host.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import ntio.api.KeyCreateResult;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.security.Sid;

/**
 * A kernel booted on a state directory with one administrator client ({@link LocalNt}) and, on
 * request, the sample Echo driver installed and loaded as an installer and {@code sc start} would:
 * its image copied from the host jar's resources into {@code SystemRoot\System32\drivers}, its
 * service key written, {@code SeLoadDriverPrivilege} enabled and {@code NtLoadDriver} called.
 */
final class ShellFixture implements AutoCloseable {

  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\";

  private final Kernel kernel;
  private final LocalNt nt;

  ShellFixture(Path state) {
    this.kernel = Kernel.boot(KernelConfig.of(state));
    this.nt = new LocalNt(kernel, kernel.administratorSession("shell-test", Sid.unixUser(0)));
  }

  LocalNt nt() {
    return nt;
  }

  /** Installs the sample {@code name} ({@code Echo}) as a demand-start kernel driver and loads it. */
  ShellFixture withSampleDriver(String name) {
    Path drivers = kernel.stateDirectory().resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers");
    try (InputStream image = ShellFixture.class.getResourceAsStream("/ntio/drivers/" + name + ".jar")) {
      assertThat(image).as("the host build copies the sample images into its classes").isNotNull();
      Files.createDirectories(drivers);
      Files.copy(image, drivers.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String key = SERVICES + name;
    setValues(key, List.of(RegValue.dword("Type", 1), RegValue.dword("Start", 3),
        RegValue.expandString("ImagePath", "System32\\drivers\\" + name + ".jar")));
    assertThat(nt.adjustPrivileges(List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(nt.loadDriver(UnicodeString.of(key))).isEqualTo(NtStatus.STATUS_SUCCESS);
    return this;
  }

  private void setValues(String keyPath, List<RegValue> values) {
    KeyCreateResult created = nt.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(keyPath), 0);
    assertThat(created.status().isSuccess()).as("create %s: %s", keyPath, created.status()).isTrue();
    try {
      for (RegValue value : values) {
        assertThat(nt.setValueKey(created.handle(), UnicodeString.of(value.name()), value.type(), value.data()))
            .isEqualTo(NtStatus.STATUS_SUCCESS);
      }
    } finally {
      nt.close(created.handle());
    }
  }

  /** A shell on this fixture's client, printing into {@code out} and {@code err}, with a short pending window. */
  Shell shell(NtioCommands commands) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ShellSession session = new ShellSession(nt, new PrintWriter(out, true), new PrintWriter(err, true), commands);
    session.setPendingWindow(Duration.ofMillis(100));
    return new Shell(session, out, err);
  }

  Shell shell() {
    return shell(NtioCommands.NONE);
  }

  /** A shell and what it printed so far. */
  record Shell(ShellSession session, StringWriter out, StringWriter err) {

    /** Runs a script (lines joined by newlines) and returns its exit code. */
    int script(String... lines) {
      try {
        return session.run(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")), false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> outLines() {
      return out.toString().lines().map(String::stripTrailing).toList();
    }

    List<String> errLines() {
      return err.toString().lines().toList();
    }
  }

  @Override
  public void close() {
    nt.close();
    kernel.shutdown();
  }
}
