package ntio.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the registry knows about one key. Models {@code KEY_FULL_INFORMATION} together with {@code
 * KEY_NAME_INFORMATION} (partial: no class name, no title index).
 *
 * @param keyId the key's id, stable for as long as its hive is open
 * @param name the key's name as created (case kept)
 * @param parentId the parent key's id; {@code 0} for the root
 * @param path the full name built from the stored names, for example {@code
 *     \REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\Echo}; never a link's spelling
 * @param isVolatile whether the key lives in memory only ({@code REG_OPTION_VOLATILE})
 * @param isLink whether the key is a registry link ({@code REG_OPTION_CREATE_LINK})
 * @param lastWriteTime {@code LastWriteTime}: 100 ns ticks since 1601-01-01 UTC (a {@code
 *     FILETIME})
 * @param subkeyCount {@code SubKeys}: stable and volatile subkeys together
 * @param valueCount {@code Values}
 * @param maxSubkeyNameBytes {@code MaxNameLen}: bytes in the longest subkey name added since the
 *     subkey list was last empty
 * @param maxValueNameBytes {@code MaxValueNameLen}: bytes in the longest value name set since the
 *     value list was last empty
 * @param maxValueDataBytes {@code MaxValueDataLen}: bytes in the largest value data set since the
 *     value list was last empty
 */
public record KeyInfo(
    long keyId,
    String name,
    long parentId,
    String path,
    boolean isVolatile,
    boolean isLink,
    long lastWriteTime,
    int subkeyCount,
    int valueCount,
    int maxSubkeyNameBytes,
    int maxValueNameBytes,
    int maxValueDataBytes) {

  /** 100 ns ticks between 1601-01-01 and 1970-01-01, the FILETIME and Unix epochs. */
  static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

  /** Checks the names are present. */
  public KeyInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
  }

  /** {@link #lastWriteTime()} as an instant. No NT counterpart: a Java view of the FILETIME. */
  public Instant lastWriteInstant() {
    long sinceUnixEpoch = lastWriteTime - FILETIME_UNIX_EPOCH;
    return Instant.EPOCH.plus(Duration.ofNanos(Math.multiplyExact(sinceUnixEpoch, 100L)));
  }

  /** The instant as a {@code FILETIME}: 100 ns ticks since 1601-01-01 UTC. */
  public static long toFileTime(Instant instant) {
    return FILETIME_UNIX_EPOCH
        + Math.multiplyExact(instant.getEpochSecond(), 10_000_000L)
        + instant.getNano() / 100;
  }
}
