package ntio.bench.peers;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The warm steady state, side by side: one load&nbsp;→ start/open&nbsp;→ stop/close&nbsp;→ unload
 * cycle of an equivalent trivial unit in ntio (verifier off and on), PF4J and Apache Felix, next
 * to the bare class-loader floor, each in its own forks of the same harness.
 *
 * <p>Both the mean ({@code avgt}) and the distribution ({@code sample}: median, p90) are measured.
 * The heap is fixed at 512 MiB, as in peers.md §4.2. The defaults below are {@code compare.sh}'s;
 * command-line options override them.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m", PeerCycle.QUIET_PF4J})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class PeerCycle extends PeerCycles {

  /**
   * PF4J logs each load, start, stop and unload at INFO, and benchmarks.jar carries the host's
   * SLF4J binding: keep PF4J to warnings, as a host in production would (peers.md ran it with no
   * binding at all).
   */
  static final String QUIET_PF4J = "-Dorg.slf4j.simpleLogger.log.org.pf4j=warn";
}
