package ntio.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A client's round trip to the daemon: one synchronous, zero-length NtReadFile of {@code
 * \Device\Null} through {@code RemoteNt} over the daemon's Unix domain socket, against a raw echo
 * on a Unix domain socket that moves the same bytes each way (the floor), in one JVM.
 *
 * <p>{@code ntio} and {@code floor} are the comparison the target is stated for. {@code
 * floorHandOff} is the floor with {@code RemoteNt}'s client threading: a reader thread reads the
 * reply and hands it to the caller through a {@code CompletableFuture}. The difference between the
 * two floors is what that hand-off costs; it is part of ntio's gap to {@code floor}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SocketRead {

  /** A daemon with Null loaded, and one client with the device open, made once per trial. */
  @State(Scope.Thread)
  public static class Remote {
    RemoteNull daemon;
    RemoteNull.Client client;

    /** Boots the kernel, loads Null, starts the server, connects and checks one read; not timed. */
    @Setup(Level.Trial)
    public void connect() throws IOException {
      daemon = RemoteNull.start();
      client = daemon.connect("bench");
      client.readNothing();
    }

    /** Closes the client, stops the server and shuts the kernel down. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      try {
        client.close();
      } finally {
        daemon.close();
      }
    }
  }

  /** The raw echo, connected, made once per trial. */
  @State(Scope.Thread)
  public static class Echo {
    SocketEcho echo;

    /** Starts the echo, prints the frame sizes it moves and checks one round trip; not timed. */
    @Setup(Level.Trial)
    public void start() throws IOException {
      System.out.println("socket echo: READ_FILE request " + SocketEcho.REQUEST_BYTES
          + " bytes, its REPLY " + SocketEcho.REPLY_BYTES + " bytes (length prefix included)");
      echo = SocketEcho.start();
    }

    /** Closes both ends. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      echo.close();
    }
  }

  /** NtReadFile of 0 bytes over the socket: {@code STATUS_END_OF_FILE}, checked. */
  @Benchmark
  public IoResult ntio(Remote state) {
    return state.client.readNothing();
  }

  /** The same bytes each way through a raw echo, the reply read on the caller's thread. */
  @Benchmark
  public long floor(Echo state) throws IOException {
    return state.echo.roundTrip();
  }

  /** The same, the reply read by a reader thread and handed to the caller. */
  @Benchmark
  public long floorHandOff(Echo state) throws IOException {
    return state.echo.roundTripHandedOff();
  }
}
