package ntio.stress.soak;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a soak counted: operations by the clients that kept the rules, every error they saw (with
 * what it was, so a failure names itself), and what each misbehaving kind of client did.
 *
 * <p>Thread-safe: every client thread adds to it.
 */
final class SoakTally {

  private static final int ERRORS_KEPT = 20;

  private final LongAdder wellBehavedOperations = new LongAdder();
  private final LongAdder wellBehavedErrors = new LongAdder();
  private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
  private final LongAdder rounds = new LongAdder();
  private final LongAdder roundNanos = new LongAdder();
  private final java.util.concurrent.atomic.LongAccumulator slowestRound =
      new java.util.concurrent.atomic.LongAccumulator(Math::max, 0);

  /** A well-behaved client finished an operation as the contract says. */
  void ok() {
    wellBehavedOperations.increment();
  }

  /** A well-behaved client saw something the contract does not allow. */
  void error(String what) {
    wellBehavedErrors.increment();
    if (firstErrors.size() < ERRORS_KEPT) {
      firstErrors.add(what);
    }
  }

  /** Something a misbehaving client did, or had done to it, by name. */
  void event(String name) {
    events.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  /** A well-behaved client's round took {@code nanos}. */
  void round(long nanos) {
    rounds.increment();
    roundNanos.add(nanos);
    slowestRound.accumulate(nanos);
  }

  long rounds() {
    return rounds.sum();
  }

  /** The mean round, in milliseconds; 0 before the first. */
  double meanRoundMillis() {
    long n = rounds.sum();
    return n == 0 ? 0 : roundNanos.sum() / 1e6 / n;
  }

  double slowestRoundMillis() {
    return slowestRound.get() / 1e6;
  }

  long wellBehavedOperations() {
    return wellBehavedOperations.sum();
  }

  long wellBehavedErrors() {
    return wellBehavedErrors.sum();
  }

  /** The first errors seen, for the failure message. */
  String firstErrors() {
    return String.join("\n", firstErrors);
  }

  /** Each event's count, by name, in name order. */
  Map<String, Long> events() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    events.forEach((name, count) -> counts.put(name, count.sum()));
    return counts;
  }
}
