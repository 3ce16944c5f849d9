package ntio.kernel.ke;

import ntio.kernel.executive.KEvent;

/**
 * A dispatcher object a driver can wait on ({@link ntio.ddk.DispatcherObject}) as the kernel sees
 * it: the event whose signal state is the object's. The kernel's {@code KeWaitForSingleObject}
 * waits on that event after checking the caller's IRQL.
 */
public interface Waitable {

  /** The event that is signalled exactly when this object is. */
  KEvent dispatcherEvent();
}
