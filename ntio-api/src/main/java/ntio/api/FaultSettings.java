package ntio.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import ntio.ddk.PoolTag;

/**
 * The parameters of the randomized low resources simulation (DV6, flag 0x4): {@code verifier
 * /faults [Probability] [PoolTags] [Applications] [DelayMins]}, plus the seed ntio adds so that a
 * run can be repeated. Models the {@code /faults} parameters (partial: no Applications filter,
 * since every ntio driver call is made in a kernel context).
 *
 * @param probability how many of every 10,000 eligible calls fail, 0 to 10,000 (default {@value
 *     #DEFAULT_PROBABILITY}, 6 %)
 * @param tags pool-tag patterns, each one to four characters where {@code *} matches any run of
 *     characters and {@code ?} one character, compared case-sensitively with the tag's four
 *     characters (trailing spaces of the tag ignored); empty means every tag
 * @param delay how long after boot the simulation starts (default 8 minutes); zero is allowed
 * @param seed the seed of the pseudo-random sequence each verified load draws from [MODEL]
 */
public record FaultSettings(int probability, List<String> tags, Duration delay, long seed) {

  /** Out of {@value #PROBABILITY_SCALE}: NT's default, 6 %. */
  public static final int DEFAULT_PROBABILITY = 600;

  /** The probability's denominator. */
  public static final int PROBABILITY_SCALE = 10_000;

  /** NT's start-up delay: 8 minutes after boot. */
  public static final Duration DEFAULT_DELAY = Duration.ofMinutes(8);

  /** The seed when none is configured, so that a run is reproducible by default. */
  public static final long DEFAULT_SEED = 0x6E74696FL; // "ntio"

  /** {@code /faults} with every default. */
  public static final FaultSettings DEFAULT =
      new FaultSettings(DEFAULT_PROBABILITY, List.of(), DEFAULT_DELAY, DEFAULT_SEED);

  /**
   * Checks the ranges.
   *
   * @throws IllegalArgumentException if the probability is outside 0–10,000, the delay negative,
   *     or a tag pattern empty or longer than four characters once its {@code *}s are removed
   */
  public FaultSettings {
    if (probability < 0 || probability > PROBABILITY_SCALE) {
      throw new IllegalArgumentException(
          "fault probability " + probability + " is not between 0 and " + PROBABILITY_SCALE);
    }
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative fault delay " + delay);
    }
    tags = List.copyOf(tags);
    for (String tag : tags) {
      String fixed = tag.replace("*", "");
      if (tag.isEmpty() || fixed.length() > 4) {
        throw new IllegalArgumentException("pool tag pattern \"" + tag
            + "\" must have one to four characters besides its * wildcards");
      }
    }
  }

  /**
   * Builds the settings from the registry's values (or {@code verifier /faults}'s arguments); a
   * null or, for the tags, blank argument keeps the default, as {@code ""} keeps a position.
   *
   * @param probability out of 10,000
   * @param tags space-separated tag patterns
   * @param delayMinutes minutes after boot
   * @param seed the pseudo-random seed
   * @throws IllegalArgumentException as the constructor
   */
  public static FaultSettings parse(Integer probability, String tags, Integer delayMinutes,
      Long seed) {
    return new FaultSettings(
        probability == null ? DEFAULT_PROBABILITY : probability,
        tags == null || tags.isBlank() ? List.of() : List.of(tags.trim().split("\\s+")),
        delayMinutes == null ? DEFAULT_DELAY : Duration.ofMinutes(Integer.toUnsignedLong(delayMinutes)),
        seed == null ? DEFAULT_SEED : seed);
  }

  /** The same settings with another seed. */
  public FaultSettings withSeed(long newSeed) {
    return new FaultSettings(probability, tags, delay, newSeed);
  }

  /** Whether an allocation tagged {@code tag} may be failed: it matches one pattern, or none are set. */
  public boolean matchesTag(int tag) {
    if (tags.isEmpty()) {
      return true;
    }
    String characters = PoolTag.toString(tag).stripTrailing();
    for (String pattern : tags) {
      if (matches(pattern.stripTrailing(), 0, characters, 0)) {
        return true;
      }
    }
    return false;
  }

  /** Wildcard match: {@code *} any run of characters, {@code ?} exactly one. */
  private static boolean matches(String pattern, int p, String text, int t) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '*') {
        for (int rest = t; rest <= text.length(); rest++) {
          if (matches(pattern, p + 1, text, rest)) {
            return true;
          }
        }
        return false;
      }
      if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
        return false;
      }
      p++;
      t++;
    }
    return t == text.length();
  }
}
