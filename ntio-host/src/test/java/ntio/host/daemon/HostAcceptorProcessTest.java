package ntio.host.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.ddk.NtStatus;
import ntio.host.wire.RemoteNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio host} in a child process with few descriptors ({@code ulimit -n}): idle connections
 * exhaust them, the acceptor's {@code accept} fails with EMFILE, and the host backs off, closes the
 * idle connections at their handshake deadline, and serves a well-behaved client afterwards.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(120)
class HostAcceptorProcessTest {

  /** The child's descriptor limit: its JVM, kernel and hive need far fewer, idle clients more. */
  private static final int DESCRIPTORS = 256;

  @TempDir Path state;
  @TempDir Path logs;
  private Process host;
  private final List<SocketChannel> idle = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (SocketChannel channel : idle) {
      channel.close();
    }
    if (host != null) {
      host.destroy();
      if (!host.waitFor(60, TimeUnit.SECONDS)) {
        host.destroyForcibly();
      }
    }
  }

  @Test
  void anAcceptorOutOfDescriptorsBacksOffAndServesAWellBehavedClientOnceTheIdleConnectionsGo() throws Exception {
    Path log = logs.resolve("host.log");
    Path socket = state.resolve(HostOptions.SOCKET_FILE);
    host = startHost(log);
    awaitServing(log, socket);

    // More idle connections than the host has descriptors. Connections beyond the listen
    // backlog are refused by the OS at once (EAGAIN on a non-blocking connect): not counted.
    for (int i = 0; i < 2 * DESCRIPTORS && !read(log).contains("Too many open files"); i++) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.configureBlocking(false);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        idle.add(channel);
      } catch (IOException backlogFull) {
        channel.close();
        Thread.sleep(10);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!read(log).contains("Too many open files")) {
      assertThat(System.nanoTime()).as("EMFILE logged after %d idle connections:%n%s", idle.size(), read(log))
          .isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(host.isAlive()).isTrue();

    for (SocketChannel channel : idle) {
      channel.close();
    }
    idle.clear();

    try (RemoteNt client = connectWithin(socket, 60)) {
      assertThat(client.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    String after = read(log);
    assertThat(after).contains("accepting on " + socket + " failed: Too many open files; retrying in",
        "accepting on " + socket + " again after");
    assertThat(after).doesNotContain("no more clients will be accepted");
  }

  /** A client connects once the host has descriptors again; refusals before that are retried. */
  private static RemoteNt connectWithin(Path socket, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      try {
        return RemoteNt.connect(socket, "good");
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private Process startHost(Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // The shell lowers its descriptor limit, then becomes the JVM.
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", "ulimit -n " + DESCRIPTORS + " && exec \"$@\"", "host",
        java, "-cp", classPath, "ntio.host.cli.Main", "host", "--state", state.toString(),
        "--handshake-timeout", "1")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  private void awaitServing(Path log, Path socket) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(socket) && read(log).contains("ntio host serving"))) {
      if (!host.isAlive()) {
        fail("the host exited with " + host.exitValue() + ":\n" + read(log));
      }
      if (System.nanoTime() > deadline) {
        fail("no socket after 60 s:\n" + read(log));
      }
      Thread.sleep(50);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
