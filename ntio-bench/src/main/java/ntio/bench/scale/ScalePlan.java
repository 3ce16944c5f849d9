package ntio.bench.scale;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * How to run one curve.
 *
 * @param sizes the values of N, in increasing order
 * @param repetitions how many times each size is measured (the point is the median)
 * @param warmUp whether to run the curve's own warm-up first (unrecorded), so that the smallest
 *     size is measured on compiled code as the largest is
 * @param log where progress lines go
 */
record ScalePlan(List<Integer> sizes, int repetitions, boolean warmUp, PrintStream log) {

  ScalePlan {
    sizes = List.copyOf(sizes);
    if (sizes.isEmpty() || repetitions < 1) {
      throw new IllegalArgumentException("a plan needs sizes and at least one repetition: " + sizes + " x "
          + repetitions);
    }
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i) < 0 || (i > 0 && sizes.get(i) <= sizes.get(i - 1))) {
        throw new IllegalArgumentException("sizes must increase and not be negative: " + sizes);
      }
    }
  }

  /** The largest size. */
  int largest() {
    return sizes.get(sizes.size() - 1);
  }

  /** Prints one progress line. */
  void say(String format, Object... args) {
    log.println(String.format(Locale.ROOT, format, args));
    log.flush();
  }
}
