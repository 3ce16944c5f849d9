package ntio.kernel.executive;

import java.time.Duration;
import java.util.Objects;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.GenericMapping;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.objects.Caller;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.objects.ObjectType;
import ntio.kernel.security.SecurityDescriptor;

/**
 * Event objects and their system services. Models {@code ExpInitializeEventImplementation} and the
 * {@code Nt…Event} services (full, except that a wait is not alertable).
 */
public final class Events {

  /** The Event type's generic mapping (T29's table for events). */
  public static final GenericMapping EVENT_MAPPING =
      new GenericMapping(
          AccessMask.STANDARD_RIGHTS_READ | AccessMask.EVENT_QUERY_STATE,
          AccessMask.STANDARD_RIGHTS_WRITE | AccessMask.EVENT_MODIFY_STATE,
          AccessMask.STANDARD_RIGHTS_EXECUTE | AccessMask.SYNCHRONIZE,
          AccessMask.EVENT_ALL_ACCESS);

  private final ObjectManager objects;
  private final ObjectType eventType;

  /** Creates the Event type in {@code objects}. */
  public Events(ObjectManager objects, SecurityDescriptor defaultSecurity) {
    this.objects = Objects.requireNonNull(objects, "objects");
    this.eventType = objects.createType(
        ObjectType.builder("Event")
            .genericMapping(EVENT_MAPPING)
            .validAccessMask(AccessMask.EVENT_ALL_ACCESS)
            .defaultSecurity(defaultSecurity));
  }

  /** The Event object type. */
  public ObjectType eventType() {
    return eventType;
  }

  /**
   * Creates an event, named or not. Models {@code NtCreateEvent} (full).
   *
   * @param attributes the name and flags, or null for an unnamed event
   */
  public OpenResult ntCreateEvent(
      Caller caller, int desiredAccess, ObjectAttributes attributes, EventType type, boolean initialState) {
    if (type == null) {
      return new OpenResult(NtStatus.STATUS_INVALID_PARAMETER, Handle.NULL);
    }
    return objects.insertObject(new EventObject(eventType, type, initialState), attributes, null,
        desiredAccess, caller, true, false);
  }

  /** Opens a named event. Models {@code NtOpenEvent} (full). */
  public OpenResult ntOpenEvent(Caller caller, int desiredAccess, ObjectAttributes attributes) {
    return objects.openByName(attributes, eventType, desiredAccess, caller, null);
  }

  /** Signals an event. Models {@code NtSetEvent} (full); needs {@code EVENT_MODIFY_STATE}. */
  public EventStateResult ntSetEvent(Caller caller, Handle handle) {
    return change(caller, handle, AccessMask.EVENT_MODIFY_STATE, KEvent::set);
  }

  /** Resets an event. Models {@code NtResetEvent} (full); needs {@code EVENT_MODIFY_STATE}. */
  public EventStateResult ntResetEvent(Caller caller, Handle handle) {
    return change(caller, handle, AccessMask.EVENT_MODIFY_STATE, KEvent::reset);
  }

  /** Pulses an event. Models {@code NtPulseEvent} (full); needs {@code EVENT_MODIFY_STATE}. */
  public EventStateResult ntPulseEvent(Caller caller, Handle handle) {
    return change(caller, handle, AccessMask.EVENT_MODIFY_STATE, KEvent::pulse);
  }

  /** Reads an event's state. Models {@code NtQueryEvent} (partial); needs {@code EVENT_QUERY_STATE}. */
  public EventStateResult ntQueryEvent(Caller caller, Handle handle) {
    return change(caller, handle, AccessMask.EVENT_QUERY_STATE, KEvent::readState);
  }

  /**
   * Waits for an event to be signalled. Models {@code NtWaitForSingleObject} on an event (partial:
   * not alertable); needs {@code SYNCHRONIZE}.
   *
   * @param timeout how long to wait; null waits forever, zero polls
   * @return {@code STATUS_SUCCESS} when signalled, {@code STATUS_TIMEOUT} otherwise, {@code
   *     STATUS_INVALID_PARAMETER} for a negative timeout (a relative wait into the past, which a
   *     caller's argument can say but no wait can honour)
   */
  public NtStatus ntWaitForSingleObject(Caller caller, Handle handle, Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    Referenced<EventObject> found = objects.referenceByHandle(handle, AccessMask.SYNCHRONIZE, eventType, caller);
    if (!found.isSuccess()) {
      return found.status();
    }
    try {
      return found.object().event().await(timeout, false);
    } finally {
      found.object().dereference();
    }
  }

  private interface StateChange {
    boolean apply(KEvent event);
  }

  private EventStateResult change(Caller caller, Handle handle, int access, StateChange change) {
    Referenced<EventObject> found = objects.referenceByHandle(handle, access, eventType, caller);
    if (!found.isSuccess()) {
      return new EventStateResult(found.status(), false);
    }
    try {
      return new EventStateResult(NtStatus.STATUS_SUCCESS, change.apply(found.object().event()));
    } finally {
      found.object().dereference();
    }
  }
}
