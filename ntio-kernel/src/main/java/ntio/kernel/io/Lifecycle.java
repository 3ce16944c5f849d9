package ntio.kernel.io;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One object's place in a state machine ({@link DriverState} or {@link DeviceState}): the state
 * now, the one before it, and the last {@value #HISTORY} transitions with what caused each, kept
 * for diagnosis (bug check reports, {@code ntio obj info}).
 *
 * <p>Implementation notes: not synchronized itself. Its owner — a driver or device object — keeps
 * it in a field guarded by the I/O database lock, and every method here is called with that lock
 * held; {@link UnloadPolicy} is the only caller of {@link #moveTo}. A transition the state's enum
 * does not allow is an ntio bug and throws {@link IllegalStateException}.
 *
 * @param <S> the state enum
 */
final class Lifecycle<S extends Enum<S> & Lifecycle.States<S>> {

  /** A state enum's table of legal transitions. */
  interface States<S> {
    /** Whether this state may become {@code next}. */
    boolean canBecome(S next);
  }

  /** How many transitions {@link #history()} keeps. */
  static final int HISTORY = 8;

  private final String owner;
  private S state;
  private S previous;
  private final ArrayDeque<String> history = new ArrayDeque<>(HISTORY);

  Lifecycle(String owner, S initial) {
    this.owner = owner;
    this.state = initial;
    this.previous = initial;
    history.add(initial.name());
  }

  S state() {
    return state;
  }

  /** The state before the current one; the initial state until the first transition. */
  S previous() {
    return previous;
  }

  /**
   * Moves to {@code next}, recording {@code cause} (the trigger, in NT's words: "NtUnloadDriver",
   * "last close", "IoDeleteDevice"...).
   *
   * @throws IllegalStateException if the transition is not one the state enum allows
   */
  void moveTo(S next, String cause) {
    if (!state.canBecome(next)) {
      throw new IllegalStateException(owner + ": " + state + " cannot become " + next + " (" + cause
          + "); last transitions " + history);
    }
    previous = state;
    state = next;
    if (history.size() == HISTORY) {
      history.removeFirst();
    }
    history.addLast(next.name() + " (" + cause + ")");
  }

  /** The last transitions, oldest first, each as {@code STATE (cause)}; the first is the initial state. */
  List<String> history() {
    return List.copyOf(history);
  }

  @Override
  public String toString() {
    return state.name();
  }
}
