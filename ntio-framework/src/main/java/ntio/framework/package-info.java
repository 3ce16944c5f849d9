/**
 * The framework a driver may bind to: ntio's model of KMDF (see docs/framework.md).
 *
 * <p>The public face is small: {@link ntio.framework.WdfDriverEntry} (the entry stub), {@link
 * ntio.framework.Wdf} (one bound driver's DDIs), the typed handles ({@link
 * ntio.framework.WdfObject} and its subclasses), and the plain values a driver fills (attributes,
 * configs, {@link ntio.framework.ContextType}). Everything else is package-private: {@code Fx…}
 * classes are the framework's internals, as in KMDF's sources.
 *
 * <p><b>Locks.</b> One per bound driver, {@code FxTreeLock}: it guards every object's state,
 * reference count, parent, children and contexts, and the run state of timers, work items and
 * queues. Driver callbacks are never called with it held. {@code FxPool} and {@code
 * WdfDeviceInit} use their own monitors, never while waiting for the tree lock.
 *
 * <p><b>Reference counts.</b> An object starts at one (the creation reference); a child holds none
 * on its parent except timers and work items; delete releases the creation reference after the
 * subtree's cleanup; the object is destroyed when the count reaches zero. Underflow is an ntio bug
 * and throws. The framework globals have their own count, held by outstanding work, that teardown
 * waits for.
 *
 * <p><b>IRQL.</b> Always PASSIVE_LEVEL: ntio has no raised IRQL, so nothing is deferred.
 */
package ntio.framework;
