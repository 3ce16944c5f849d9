package ntio.kernel.loader;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Images already read and checked, by real host path, least recently used first, bounded both in
 * entries and in the bytes they hold. No NT counterpart as such: NT keeps an image's section (its
 * {@code ControlArea}) after an unload while memory allows and trims it under pressure; this cache
 * is that reuse with a fixed budget.
 *
 * <p>The bound in bytes is the whole promise: after any {@link #put}, the entries together hold at
 * most {@link #maximumBytes()}, so an image that was unloaded keeps nothing beyond the bound. An
 * entry larger than the bound is never kept (and a stale one under its path is dropped).
 *
 * <p>Not thread-safe: confined to the holder of the loader's {@code systemLoadLock}.
 *
 * @param <V> what is kept for an image
 */
final class CheckedImageCache<V> {

  private final int maximumEntries;
  private final long maximumBytes;

  /** The entries, least recently used first; each with the bytes it holds. */
  private final LinkedHashMap<Path, Sized<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

  /** The sum of the bytes of {@link #entries}. */
  private long retainedBytes;

  private record Sized<V>(V value, long bytes) {}

  /**
   * An empty cache.
   *
   * @param maximumEntries the most entries kept; 0 keeps nothing
   * @param maximumBytes the most bytes all entries together hold; 0 keeps nothing
   */
  CheckedImageCache(int maximumEntries, long maximumBytes) {
    if (maximumEntries < 0 || maximumBytes < 0) {
      throw new IllegalArgumentException("negative cache bound: " + maximumEntries + " entries, "
          + maximumBytes + " bytes");
    }
    this.maximumEntries = maximumEntries;
    this.maximumBytes = maximumBytes;
  }

  /** The entry for the path, now the most recently used; null if there is none. */
  V get(Path file) {
    Sized<V> found = entries.get(file);
    return found == null ? null : found.value();
  }

  /** Forgets the entry for the path, if there is one. */
  void remove(Path file) {
    Sized<V> removed = entries.remove(file);
    if (removed != null) {
      retainedBytes -= removed.bytes();
    }
  }

  /**
   * Keeps the value for the path as the most recently used entry, replacing any earlier one, then
   * evicts least recently used entries until both bounds hold. A value of more than {@link
   * #maximumBytes()} is not kept at all.
   *
   * @param bytes what the value holds, in bytes
   */
  void put(Path file, V value, long bytes) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(value, "value");
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes + " for " + file);
    }
    remove(file);
    if (bytes > maximumBytes || maximumEntries == 0) {
      return;
    }
    entries.put(file, new Sized<>(value, bytes));
    retainedBytes += bytes;
    Iterator<Map.Entry<Path, Sized<V>>> eldest = entries.entrySet().iterator();
    while (retainedBytes > maximumBytes || entries.size() > maximumEntries) {
      retainedBytes -= eldest.next().getValue().bytes();
      eldest.remove();
    }
  }

  /** How many entries are kept. */
  int size() {
    return entries.size();
  }

  /** The bytes all entries together hold; never more than {@link #maximumBytes()}. */
  long retainedBytes() {
    return retainedBytes;
  }

  /** The bound in bytes. */
  long maximumBytes() {
    return maximumBytes;
  }
}
