package ntio.kernel.io;

import ntio.ddk.DriverFlags;

/**
 * Where a driver object is in its life: loaded, asked to unload, unloading, gone. Models what NT
 * keeps in the {@code DRVO_INITIALIZED} and {@code DRVO_UNLOAD_INVOKED} bits of {@code
 * DRIVER_OBJECT.Flags} and in {@code IopUnloadDriver}'s marking of the devices, as one machine.
 *
 * <p>Legal transitions, and what triggers each. {@link UnloadPolicy} is the only writer; the
 * driver's {@link Lifecycle} keeps the last transitions for bug check reports and {@code obj info}:
 *
 * <pre>
 * LOADING ──DriverEntry (or IoCreateDriver's routine) succeeded────▶ STARTED
 * LOADING ──DriverEntry failed─────────────────────────────────────▶ ENTRY_FAILED
 * LOADING ──the name collided, the object is destroyed─────────────▶ DELETED
 * LOADING ──DriverEntry unloads its own driver (ZwUnloadDriver)────▶ UNLOAD_PENDING / UNLOADING
 * STARTED ──NtUnloadDriver, a device is still in use───────────────▶ UNLOAD_PENDING
 * STARTED ──NtUnloadDriver, nothing in use; or a PnP driver's last
 *           device's final delete (B26)─────────────────────────────▶ UNLOADING
 * STARTED ──IoDeleteDriver of a builtin driver, last reference─────▶ DELETED
 * UNLOAD_PENDING ──NtUnloadDriver again (devices marked again)─────▶ UNLOAD_PENDING
 * UNLOAD_PENDING ──the last close, detach, file-system unregister or
 *                  final delete of its devices (B20)───────────────▶ UNLOADING
 * UNLOAD_PENDING ──the DriverEntry that asked for it failed────────▶ ENTRY_FAILED
 * UNLOADING ──DriverUnload returned; name and load reference gone──▶ UNLOADED
 * UNLOADED, ENTRY_FAILED ──last reference: delete procedure,
 *                          image unmapped──────────────────────────▶ DELETED
 * </pre>
 *
 * <p>Any transition not listed is an ntio bug and throws. The {@code DRVO_} bits a driver reads
 * ({@link #flags}) are derived from the state, never stored.
 */
enum DriverState implements Lifecycle.States<DriverState> {
  /** The object is named and DriverEntry (or IoCreateDriver's routine) is running. */
  LOADING(0),
  /** Initialized: {@code DRVO_INITIALIZED}; its devices are openable. */
  STARTED(DriverFlags.DRVO_INITIALIZED),
  /**
   * NtUnloadDriver asked for the unload and marked every device {@code DOE_UNLOAD_PENDING}; the
   * unload waits for the last open, attached device and pending delete to go (B19, B20).
   */
  UNLOAD_PENDING(DriverFlags.DRVO_INITIALIZED),
  /** {@code DRVO_UNLOAD_INVOKED}: DriverUnload is queued or running; runs exactly once. */
  UNLOADING(DriverFlags.DRVO_INITIALIZED | DriverFlags.DRVO_UNLOAD_INVOKED),
  /** DriverUnload returned; the name and the load reference are gone; the devices left keep it. */
  UNLOADED(DriverFlags.DRVO_INITIALIZED | DriverFlags.DRVO_UNLOAD_INVOKED),
  /** DriverEntry failed: no DriverUnload; devices it left keep the object and the image (B10). */
  ENTRY_FAILED(0),
  /** The delete procedure ran ({@code IopDeleteDriver}): extensions freed, the image unmapped. */
  DELETED(-1);

  private final int flags;

  DriverState(int flags) {
    this.flags = flags;
  }

  /**
   * The {@code DRVO_INITIALIZED} and {@code DRVO_UNLOAD_INVOKED} bits of this state; {@link
   * #DELETED} keeps those of the state it was reached from, {@code previous}.
   */
  int flags(DriverState previous) {
    return this == DELETED ? (previous == DELETED ? 0 : previous.flags) : flags;
  }

  /** Whether DriverUnload has been invoked ({@code DRVO_UNLOAD_INVOKED}). */
  boolean unloadInvoked(DriverState previous) {
    return (flags(previous) & DriverFlags.DRVO_UNLOAD_INVOKED) != 0;
  }

  @Override
  public boolean canBecome(DriverState next) {
    return switch (this) {
      case LOADING -> next == STARTED || next == ENTRY_FAILED || next == DELETED
          || next == UNLOAD_PENDING || next == UNLOADING;
      case STARTED -> next == UNLOAD_PENDING || next == UNLOADING || next == DELETED;
      case UNLOAD_PENDING -> next == UNLOAD_PENDING || next == UNLOADING || next == ENTRY_FAILED;
      case UNLOADING -> next == UNLOADED;
      case UNLOADED, ENTRY_FAILED -> next == DELETED;
      case DELETED -> false;
    };
  }
}
