package ntio.framework;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Reference tags of one object, when the verifier tracks its type (O18). Models KMDF's {@code
 * FxTagTracker} (S9, partial: the site is a Java stack frame; no timestamps or captured stacks).
 *
 * <p>It starts with one block for the creation reference, tag null. Each reference pushes a block
 * and a history entry (a ring of {@value #HISTORY}); each release removes the most recent block
 * with an equal tag — KMDF compares tag pointers, ntio compares with {@code equals}, which is the
 * same for the string or object constants drivers use as tags. A release with no such block is
 * V-KMDF-06; blocks left when the object is destroyed are V-KMDF-07.
 *
 * <p>Guarded by the owning object's tree lock: every method is called with it held.
 */
final class FxTagTracker {

  static final int HISTORY = 25;

  private record Block(Object tag, String site) {}

  private final List<Block> blocks = new ArrayList<>();
  private final ArrayDeque<String> history = new ArrayDeque<>();

  FxTagTracker() {
    blocks.add(new Block(null, "creation"));
  }

  void acquire(Object tag, String site) {
    blocks.add(new Block(tag, site));
    remember("+ " + describe(tag) + " at " + site);
  }

  /**
   * Removes the most recent block with this tag.
   *
   * @return null when it was acquired, else the V-KMDF-06 message
   */
  String release(Object tag, String site) {
    for (int i = blocks.size() - 1; i >= 0; i--) {
      if (Objects.equals(blocks.get(i).tag(), tag)) {
        blocks.remove(i);
        remember("- " + describe(tag) + " at " + site);
        return null;
      }
    }
    return "releasing tag " + describe(tag) + " at " + site + " that was not acquired";
  }

  /** The V-KMDF-07 report: each block still held, or an empty list. */
  List<String> abandoned() {
    List<String> left = new ArrayList<>();
    for (Block block : blocks) {
      left.add("tag " + describe(block.tag()) + " acquired at " + block.site());
    }
    return left;
  }

  /** The last {@value #HISTORY} reference changes, oldest first. */
  List<String> history() {
    List<String> entries = new ArrayList<>();
    for (Iterator<String> it = history.iterator(); it.hasNext(); ) {
      entries.add(it.next());
    }
    return entries;
  }

  private void remember(String entry) {
    if (history.size() == HISTORY) {
      history.removeFirst();
    }
    history.addLast(entry);
  }

  static String describe(Object tag) {
    return tag == null ? "NULL" : "'" + tag + "'";
  }
}
