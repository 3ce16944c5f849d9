package ntio.drivers.toaster.bus;

/**
 * Where one of the bus driver's devices — the bus's FDO or a toaster's PDO — is in its Plug and
 * Play life, as the WDK's toaster samples track it ({@code DEVICE_PNP_STATE}). The PnP IRPs move
 * it; {@link PnpStateTracker} is its only writer.
 *
 * <pre>
 *                 START                      QUERY_STOP                 STOP
 *   NOT_STARTED ─────────▶ STARTED ◀─────▶ STOP_PENDING ──────────▶ STOPPED ──START──▶ STARTED
 *        │                  │   ▲        (CANCEL_STOP: back)
 *        │     QUERY_REMOVE │   │ CANCEL_REMOVE (back to the state before)
 *        └───────────────▶ REMOVE_PENDING
 *                           │
 *   any ──SURPRISE_REMOVAL──▶ SURPRISE_REMOVE_PENDING
 *   any ──REMOVE──▶ DELETED        (the FDO; a PDO the bus reported missing)
 *   any ──REMOVE──▶ NOT_STARTED    (a PDO still present: disabled, or removed with its bus)
 * </pre>
 */
enum PnpState {
  /** Created, not yet started; or a present PDO whose stack was removed. */
  NOT_STARTED,
  /** IRP_MN_START_DEVICE succeeded. */
  STARTED,
  /** IRP_MN_QUERY_STOP_DEVICE succeeded; a stop or a cancel follows. */
  STOP_PENDING,
  /** IRP_MN_STOP_DEVICE: stopped to rebalance, restarted by IRP_MN_START_DEVICE. */
  STOPPED,
  /** IRP_MN_QUERY_REMOVE_DEVICE succeeded; a remove or a cancel follows. */
  REMOVE_PENDING,
  /** IRP_MN_SURPRISE_REMOVAL: the hardware is gone; IRP_MN_REMOVE_DEVICE follows. */
  SURPRISE_REMOVE_PENDING,
  /** IRP_MN_REMOVE_DEVICE: the device object was (or is being) deleted. */
  DELETED
}
