package ntio.ddk;

/**
 * An object a thread can wait on with {@link KernelServices#waitForSingleObject}: an event or a
 * timer. Models the {@code DISPATCHER_HEADER} those objects begin with (partial: events and
 * timers only).
 */
public interface DispatcherObject {}
