package ntio.host.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ntio.ddk.Handle;

/**
 * The handles the shell's {@code open} made and has not closed, with the names {@code --as} gave
 * them. Only the shell's own thread uses it, so it takes no lock.
 *
 * <p>A handle is referred to by its name, or by its value as NT prints it ({@code 0x4}) or in
 * decimal ({@code 4}). A value the shell did not open is still passed to the kernel as is, so
 * that {@code close 0x40} answers {@code STATUS_INVALID_HANDLE} as NT would rather than being
 * refused by the shell.
 */
final class ShellHandles {

  /** One open handle: its value, its name (null if none), the path it was opened by, the access granted. */
  record Entry(Handle handle, String name, String path, int access) {
    /** The name if there is one, else the value: how messages refer to it. */
    String label() {
      return name != null ? name : handle.toString();
    }
  }

  private final Map<Integer, Entry> byValue = new LinkedHashMap<>();

  /**
   * Records a handle {@code open} made.
   *
   * @throws IllegalArgumentException if {@code name} is already bound to an open handle
   */
  void add(Handle handle, String name, String path, int access) {
    if (name != null && byName(name).isPresent()) {
      throw new IllegalArgumentException("the name " + name + " is already bound to " + byName(name).get().handle());
    }
    byValue.put(handle.value(), new Entry(handle, name, path, access));
  }

  /** Whether {@code name} is bound to an open handle. */
  boolean isBound(String name) {
    return byName(name).isPresent();
  }

  /** Forgets a handle that was closed. */
  void remove(Handle handle) {
    byValue.remove(handle.value());
  }

  /** The entry for a handle value, if the shell opened it. */
  Optional<Entry> entry(Handle handle) {
    return Optional.ofNullable(byValue.get(handle.value()));
  }

  /**
   * The handle a word names: a bound name, a hex value ({@code 0x4}) or a decimal one.
   *
   * @throws IllegalArgumentException if the word is neither a bound name nor a number
   */
  Handle resolve(String word) {
    Optional<Entry> named = byName(word);
    if (named.isPresent()) {
      return named.get().handle();
    }
    try {
      String lower = word.toLowerCase(Locale.ROOT);
      long value = lower.startsWith("0x") ? Long.parseLong(lower.substring(2), 16) : Long.parseLong(lower);
      if (value < 0 || value > 0xFFFFFFFFL) {
        throw new NumberFormatException();
      }
      return new Handle((int) value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("no handle named " + word + " (see 'handles')");
    }
  }

  /** How messages refer to a handle: its name if the shell knows one, else its value. */
  String label(Handle handle) {
    Entry entry = byValue.get(handle.value());
    return entry != null ? entry.label() : handle.toString();
  }

  /** Every open handle, in the order opened. */
  List<Entry> entries() {
    return new ArrayList<>(byValue.values());
  }

  /** The bound names, in the order opened. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (Entry entry : byValue.values()) {
      if (entry.name() != null) {
        names.add(entry.name());
      }
    }
    return names;
  }

  private Optional<Entry> byName(String name) {
    for (Entry entry : byValue.values()) {
      if (name.equals(entry.name())) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }
}
