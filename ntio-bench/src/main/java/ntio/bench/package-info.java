/**
 * JMH benchmarks of ntio's driver life cycle and of its I/O path.
 *
 * <p>{@link ntio.bench.LoadUnloadCycle} measures the warm steady state of one
 * NtLoadDriver&nbsp;→ NtCreateFile&nbsp;→ NtClose&nbsp;→ NtUnloadDriver cycle of the Null driver
 * and of the floor every JVM plugin host pays (a fresh class loader over the same JAR, one class
 * defined, instantiated and called); {@link ntio.bench.FirstCycle} measures the same two cycles
 * once, cold, in fresh JVMs.
 *
 * <p>{@link ntio.bench.NullRead} measures one synchronous, zero-length NtReadFile of
 * {@code \Device\Null}, and {@link ntio.bench.EchoRoundTrip} one synchronous NtWriteFile and
 * NtReadFile of 4 KiB through {@code \Device\Echo} with 0, 1 or 3 Filters stacked on it; each next
 * to a direct Java call doing the same buffer work.
 *
 * <p>{@link ntio.bench.SocketRead} measures a client's round trip to the daemon: the same
 * zero-length read of Null through {@code RemoteNt} over the daemon's Unix domain socket, next to
 * a raw echo of the same frame sizes on a Unix domain socket; {@link ntio.bench.ManyClients} (a
 * plain main) runs 64 such clients at once for a fixed time.
 *
 * <p>{@code ntio.bench.peers} runs the same cycle next to PF4J's and Apache Felix's equivalents
 * ({@code compare.sh}).
 * <p>Package {@code ntio.bench.scale} measures how the costs grow with the number of services,
 * drivers, devices and handles (plain mains, charts and a table; {@code scale.sh}).
 *
 * <p>{@code docs/performance.md} publishes the figures and the commands that produced them
 * ({@code run.sh}, {@code run-io.sh}, {@code run-socket.sh}, {@code scale.sh}).
 */
package ntio.bench;
