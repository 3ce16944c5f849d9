package ntio.kernel.loader;

/**
 * What the image loader may spend on one image, and on the images it keeps after checking them.
 * No NT counterpart (NT's limits are system space and the memory manager's trimming).
 *
 * @param imageBytes the largest JAR file that is read; larger is {@code
 *     STATUS_INSUFFICIENT_RESOURCES}
 * @param inflatedBytes the most all files of one JAR may inflate to, declared or actual; more is
 *     {@code STATUS_INSUFFICIENT_RESOURCES}
 * @param entryBytes the most one file of a JAR may inflate to, declared or actual; more is {@code
 *     STATUS_INSUFFICIENT_RESOURCES}
 * @param checkedImageCacheBytes the most bytes the checked-image cache holds, over every image it
 *     keeps, mapped or not; 0 keeps nothing
 */
public record LoaderLimits(long imageBytes, long inflatedBytes, long entryBytes,
    long checkedImageCacheBytes) {

  /** The default largest JAR: 64 MiB. */
  public static final long DEFAULT_IMAGE_BYTES = 64L << 20;

  /** The default most one JAR's files inflate to: 128 MiB. */
  public static final long DEFAULT_INFLATED_BYTES = 128L << 20;

  /** The default most one file of a JAR inflates to: 32 MiB. */
  public static final long DEFAULT_ENTRY_BYTES = 32L << 20;

  /** The default bound of the checked-image cache: 64 MiB. */
  public static final long DEFAULT_CHECKED_IMAGE_CACHE_BYTES = 64L << 20;

  /** The defaults. */
  public static final LoaderLimits DEFAULTS = new LoaderLimits(DEFAULT_IMAGE_BYTES,
      DEFAULT_INFLATED_BYTES, DEFAULT_ENTRY_BYTES, DEFAULT_CHECKED_IMAGE_CACHE_BYTES);

  /** Checks that every size limit is positive and the cache bound not negative. */
  public LoaderLimits {
    if (imageBytes <= 0 || inflatedBytes <= 0 || entryBytes <= 0 || checkedImageCacheBytes < 0) {
      throw new IllegalArgumentException("limits must be positive: image " + imageBytes
          + ", inflated " + inflatedBytes + ", entry " + entryBytes + ", cache "
          + checkedImageCacheBytes);
    }
  }

  /** These limits with another bound for the checked-image cache. */
  public LoaderLimits withCheckedImageCacheBytes(long bytes) {
    return new LoaderLimits(imageBytes, inflatedBytes, entryBytes, bytes);
  }
}
