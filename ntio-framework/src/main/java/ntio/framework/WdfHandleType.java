package ntio.framework;

/**
 * The framework's handle types, by their KMDF names. The name is what the {@code TrackHandles}
 * verifier value lists and what findings print.
 */
public enum WdfHandleType {
  /** {@code WDFDRIVER}: the driver, root of the tree. */
  WDFDRIVER,
  /** {@code WDFDEVICE}: a device; in ntio a control (non-PnP) device. */
  WDFDEVICE,
  /** {@code WDFQUEUE}: an I/O queue of a device. */
  WDFQUEUE,
  /** {@code WDFREQUEST}: an I/O request the framework delivered. */
  WDFREQUEST,
  /** {@code WDFMEMORY}: a buffer with a lifetime. */
  WDFMEMORY,
  /** {@code WDFOBJECT}: a generic object ({@code WdfObjectCreate}). */
  WDFOBJECT,
  /** {@code WDFTIMER}: a timer. */
  WDFTIMER,
  /** {@code WDFWORKITEM}: a work item. */
  WDFWORKITEM,
  /** {@code WDFSPINLOCK}: a spin lock the driver takes at up to DISPATCH_LEVEL. */
  WDFSPINLOCK,
  /** {@code WDFWAITLOCK}: a lock the driver waits for at PASSIVE_LEVEL. */
  WDFWAITLOCK;

  /**
   * Whether objects of this type must be disposed at PASSIVE_LEVEL whatever their execution level:
   * a delete of one at raised IRQL is deferred to the driver's dispose list (O10). Models the
   * types KMDF marks {@code MarkPassiveDispose} (its device, queue, timer and work item, which wait
   * for callbacks or free paged state in their dispose), and the WDFDRIVER, whose destroy D3 lists
   * among those that always run at PASSIVE_LEVEL.
   */
  boolean passiveDispose() {
    return switch (this) {
      case WDFDRIVER, WDFDEVICE, WDFQUEUE, WDFTIMER, WDFWORKITEM -> true;
      default -> false;
    };
  }
}
