package ntio.kernel.io;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.DriverEvent;
import ntio.api.DriverEventListener;

/**
 * The listeners of one kernel's {@link DriverEvent}s, and the one place events are published. No
 * NT counterpart as such: it plays the part of the System event log's writers in the I/O manager
 * and the service control manager.
 *
 * <p>Thread-safe. Listeners are called in the order they were added, on the publishing thread,
 * never under a kernel lock other than the driver load lock (see {@link DriverEventListener}); one
 * that throws is logged and the others are still called.
 */
public final class DriverEvents {

  private static final System.Logger LOG = System.getLogger(DriverEvents.class.getName());

  private final List<DriverEventListener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener; it is told of events published from now on. */
  public void add(DriverEventListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added before; nothing when it was not. */
  public void remove(DriverEventListener listener) {
    listeners.remove(listener);
  }

  /** Tells every listener of {@code event}. Must not be called under the I/O database lock. */
  public void publish(DriverEvent event) {
    for (DriverEventListener listener : listeners) {
      try {
        listener.onDriverEvent(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a driver event listener failed on " + event, e);
      }
    }
  }
}
