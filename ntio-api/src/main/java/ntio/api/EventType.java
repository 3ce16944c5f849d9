package ntio.api;

/** The two kinds of event: {@code EVENT_TYPE}. */
public enum EventType {
  /**
   * {@code NotificationEvent}: once set it stays signalled, and every waiter is released, until it
   * is reset.
   */
  NOTIFICATION,

  /**
   * {@code SynchronizationEvent}: auto-reset. Setting it releases exactly one waiter and the event
   * goes back to not-signalled; with no waiter it stays signalled until one wait consumes it.
   */
  SYNCHRONIZATION
}
