package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.ddk.Handle;
import ntio.kernel.LocalNt;

/**
 * The set-up of a test that compares what a client of the daemon is answered with what an
 * in-process client of the same kernel is answered: a {@link TestDaemon} started in a directory,
 * one {@link RemoteNt} connected to it over its socket and one {@link LocalNt} administrator
 * session named {@code local}. {@link #withEcho()} also loads the sample Echo driver and opens
 * {@code \??\Echo} on both sides. {@link #close()} closes the two clients, then the daemon.
 */
final class Parity implements AutoCloseable {

  final TestDaemon daemon;
  final RemoteNt remote;
  final LocalNt local;
  private Handle remoteEcho;
  private Handle localEcho;

  private Parity(TestDaemon daemon, RemoteNt remote, LocalNt local) {
    this.daemon = daemon;
    this.remote = remote;
    this.local = local;
  }

  /** Starts a daemon in {@code directory} and connects a remote and a local client to it. */
  static Parity start(Path directory) throws IOException {
    TestDaemon daemon = TestDaemon.start(directory);
    try {
      return new Parity(daemon, daemon.connect(), daemon.local("local"));
    } catch (IOException | RuntimeException e) {
      daemon.close();
      throw e;
    }
  }

  /** Loads the sample Echo driver through the remote client; opens nothing. */
  Parity withEchoLoaded() {
    daemon.loadSample(remote, "Echo");
    return this;
  }

  /** Loads the sample Echo driver and opens {@code \??\Echo} for reading and writing on both sides. */
  Parity withEcho() {
    withEchoLoaded();
    remoteEcho = TestDaemon.openEcho(remote);
    localEcho = TestDaemon.openEcho(local);
    return this;
  }

  /** The remote client's handle to Echo, opened by {@link #withEcho()}. */
  Handle remoteEcho() {
    return remoteEcho;
  }

  /** The local client's handle to Echo, opened by {@link #withEcho()}. */
  Handle localEcho() {
    return localEcho;
  }

  /**
   * Asserts the two results equal field by field: status, {@code Information}, bytes, whether the
   * status block was written and what it holds ({@link IoResult}'s equals compares arrays by identity).
   */
  static void assertSameIoResult(IoResult remote, IoResult local) {
    assertSameIoResult(remote, local, "");
  }

  /** As {@link #assertSameIoResult(IoResult, IoResult)}, naming the case in a failure. */
  static void assertSameIoResult(IoResult remote, IoResult local, String what) {
    assertThat(remote.status()).as("status %s", what).isEqualTo(local.status());
    assertThat(remote.information()).as("information %s", what).isEqualTo(local.information());
    assertThat(remote.data()).as("data %s", what).isEqualTo(local.data());
    assertThat(remote.ioStatusWritten()).as("ioStatusWritten %s", what).isEqualTo(local.ioStatusWritten());
    assertThat(remote.ioStatus()).as("ioStatus %s", what).isEqualTo(local.ioStatus());
  }

  @Override
  public void close() {
    try {
      remote.close();
      local.close();
    } finally {
      daemon.close();
    }
  }
}
