package ntio.kernel.executive;

import ntio.api.EventType;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectType;

/**
 * An event as the object manager sees it: a named or unnamed object of type Event around a
 * {@link KEvent}. Models the {@code KEVENT} body of an executive event object (full).
 */
public final class EventObject extends KernelObject {

  private final KEvent event;

  EventObject(ObjectType type, EventType eventType, boolean signalled) {
    super(type);
    this.event = new KEvent(eventType, signalled);
  }

  /** The dispatcher object. */
  public KEvent event() {
    return event;
  }
}
