package ntio.kernel.loader;

import ntio.kernel.executive.PoolOwner;

/**
 * The pool owner of one mapping of an image. Equal only to itself, so an image that is unmapped
 * and mapped again is a new owner even though its name (what usage is reported under) is the same.
 * It refers to nothing of the image, so the pool may keep it after the unmap.
 */
final class ImageOwner implements PoolOwner {

  private final String name;
  private final long mapping;

  /**
   * @param name the image's file name, such as {@code Echo.jar}
   * @param mapping the loader's count of mappings so far, to tell owners apart in messages
   */
  ImageOwner(String name, long mapping) {
    if (name.isBlank()) {
      throw new IllegalArgumentException("an image owner needs a name (mapping " + mapping + ")");
    }
    this.name = name;
    this.mapping = mapping;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name + "#" + mapping;
  }
}
