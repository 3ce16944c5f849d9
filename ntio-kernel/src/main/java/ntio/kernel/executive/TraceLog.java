package ntio.kernel.executive;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * The events drivers wrote through their trace providers, newest last, bounded. Models what an
 * ETW session logging every provider would hold (partial: one in-memory ring, no sessions).
 *
 * <p>Thread-safe.
 */
public final class TraceLog {

  /** One event: when, which driver, which provider, what. */
  public record Event(Instant at, String driver, UUID providerId, String message) {}

  private final int capacity;

  @GuardedBy("this")
  private final ArrayDeque<Event> events = new ArrayDeque<>();

  /** @param capacity how many events are kept; older ones are dropped */
  public TraceLog(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.capacity = capacity;
  }

  /** Appends an event, dropping the oldest when full. */
  public synchronized void write(String driver, UUID providerId, String message) {
    if (events.size() == capacity) {
      events.removeFirst();
    }
    events.addLast(new Event(Instant.now(), driver, providerId, message));
  }

  /** The events kept, oldest first. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }
}
