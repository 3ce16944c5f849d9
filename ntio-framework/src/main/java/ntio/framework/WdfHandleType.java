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
  WDFWORKITEM
}
