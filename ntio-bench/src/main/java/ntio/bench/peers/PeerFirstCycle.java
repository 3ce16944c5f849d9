package ntio.bench.peers;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cold first cycle, side by side: each fork is a fresh JVM that times exactly one cycle of
 * {@link PeerCycle}'s, with no warm-up. Booting the kernel, creating the PF4J manager, starting
 * the Felix framework and writing the units happen in the trial set-up and are not timed, as in
 * peers.md §4.2. The defaults below are {@code compare.sh}'s; command-line options override them.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 12, jvmArgsAppend = {"-Xms512m", "-Xmx512m", PeerCycle.QUIET_PF4J})
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
public class PeerFirstCycle extends PeerCycles {}
