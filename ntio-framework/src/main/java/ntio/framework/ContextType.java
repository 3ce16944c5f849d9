package ntio.framework;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A typed object context: what {@code WDF_DECLARE_CONTEXT_TYPE} declares in C. Models {@code
 * WDF_OBJECT_CONTEXT_TYPE_INFO} (partial: the size is that of the Java object, so there is no
 * {@code ContextSizeOverride}).
 *
 * <p>The framework calls {@code zeroFilled} once for each object the context is allocated on; it
 * must return a new instance whose fields are all zero, null or false, as C's zero-filled context
 * memory is. Contexts are compared by identity of their {@code ContextType}, as C compares type
 * info pointers: declare each once (a {@code static final} constant is fine — it is immutable).
 *
 * @param <T> the context's class
 */
public final class ContextType<T> {

  private final String name;
  private final Class<T> type;
  private final Supplier<? extends T> zeroFilled;

  private ContextType(String name, Class<T> type, Supplier<? extends T> zeroFilled) {
    this.name = name;
    this.type = type;
    this.zeroFilled = zeroFilled;
  }

  /**
   * Declares a context type. Models {@code WDF_DECLARE_CONTEXT_TYPE_WITH_NAME} (full).
   *
   * @param name the context's name ({@code ContextName}); null or empty makes every attributes
   *     structure naming this type invalid ({@code STATUS_WDF_OBJECT_ATTRIBUTES_INVALID}), as a
   *     context with a size but no name is in KMDF
   */
  public static <T> ContextType<T> declare(String name, Class<T> type, Supplier<? extends T> zeroFilled) {
    return new ContextType<>(name, Objects.requireNonNull(type, "type"),
        Objects.requireNonNull(zeroFilled, "zeroFilled"));
  }

  /** {@code ContextName}. */
  public String name() {
    return name;
  }

  /** The context's Java class. */
  public Class<T> type() {
    return type;
  }

  boolean hasName() {
    return name != null && !name.isEmpty();
  }

  T newInstance() {
    return type.cast(Objects.requireNonNull(zeroFilled.get(), () -> "context " + name + " supplier returned null"));
  }

  @Override
  public String toString() {
    return "context type " + name;
  }
}
