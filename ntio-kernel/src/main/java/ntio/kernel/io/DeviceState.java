package ntio.kernel.io;

import ntio.ddk.DeviceFlags;

/**
 * Where a device object is in its life: created, in use, going away, gone. Models the {@code
 * DOE_UNLOAD_PENDING} and {@code DOE_DELETE_PENDING} bits of NT's {@code DEVOBJ_EXTENSION} and the
 * device's place in its driver's device list, as one machine.
 *
 * <p>Legal transitions, and what triggers each. {@link UnloadPolicy} is the only writer; the
 * device's {@link Lifecycle} keeps the last transitions for bug check reports and {@code obj info}:
 *
 * <pre>
 * NEW ──IoCreateDevice links it into its driver's list────────────────▶ ACTIVE
 * ACTIVE ──NtUnloadDriver marks its driver's devices (B19)──────────────▶ UNLOAD_PENDING
 * ACTIVE ──IoDeleteDevice (B25)────────────────────────────────────────▶ DELETE_PENDING
 * UNLOAD_PENDING ──IoDeleteDevice (typically in DriverUnload)───────────▶ UNLOAD_DELETE_PENDING
 * DELETE_PENDING ──NtUnloadDriver marks its driver's devices────────────▶ UNLOAD_DELETE_PENDING
 * DELETE_PENDING, UNLOAD_DELETE_PENDING ──no open, nothing attached:
 *     final delete, unlinked, keep-alive reference dropped (B26)─────────▶ DELETED
 * </pre>
 *
 * <p>Any transition not listed is an ntio bug and throws. A device that never left {@link #NEW}
 * (its name collided) was never linked and holds no reference on its driver. The {@code DOE_} bits
 * a driver reads ({@link #extensionFlags}) are derived from the state, never stored.
 */
enum DeviceState implements Lifecycle.States<DeviceState> {
  /** Created; not yet in its driver's device list. */
  NEW(0),
  /** In its driver's list; openable once {@code DO_DEVICE_INITIALIZING} is clear. */
  ACTIVE(0),
  /** {@code DOE_UNLOAD_PENDING}: its driver's unload was asked for; opens fail (B36). */
  UNLOAD_PENDING(DeviceFlags.DOE_UNLOAD_PENDING),
  /** {@code DOE_DELETE_PENDING}: IoDeleteDevice was called; its final delete waits (B26). */
  DELETE_PENDING(DeviceFlags.DOE_DELETE_PENDING),
  /** Both: deleted after (or before) its driver's unload was asked for. */
  UNLOAD_DELETE_PENDING(DeviceFlags.DOE_UNLOAD_PENDING | DeviceFlags.DOE_DELETE_PENDING),
  /** Finally deleted: out of its driver's list, its keep-alive reference dropped. */
  DELETED(-1);

  private final int extensionFlags;

  DeviceState(int extensionFlags) {
    this.extensionFlags = extensionFlags;
  }

  /** The {@code DOE_} bits of this state; {@link #DELETED} keeps those of {@code previous}. */
  int extensionFlags(DeviceState previous) {
    return this == DELETED ? (previous == DELETED ? 0 : previous.extensionFlags) : extensionFlags;
  }

  /** Whether IoDeleteDevice was called and the final delete has not happened. */
  boolean deletePending() {
    return this == DELETE_PENDING || this == UNLOAD_DELETE_PENDING;
  }

  /**
   * Whether the device is going away: an open (B36), an attach on top (B30) and a lower-device
   * lookup (B33) are refused.
   */
  boolean goingAway() {
    return this == UNLOAD_PENDING || deletePending() || this == DELETED;
  }

  /** Whether it was linked into its driver's list (and so holds a reference on the driver). */
  boolean linked() {
    return this != NEW;
  }

  /** The state NtUnloadDriver's marking moves this one to; itself when already marked or gone. */
  DeviceState markedForUnload() {
    return switch (this) {
      case ACTIVE -> UNLOAD_PENDING;
      case DELETE_PENDING -> UNLOAD_DELETE_PENDING;
      default -> this;
    };
  }

  /** The state IoDeleteDevice moves this one to; itself when already deleted. */
  DeviceState markedForDelete() {
    return switch (this) {
      case ACTIVE -> DELETE_PENDING;
      case UNLOAD_PENDING -> UNLOAD_DELETE_PENDING;
      default -> this;
    };
  }

  @Override
  public boolean canBecome(DeviceState next) {
    return switch (this) {
      case NEW -> next == ACTIVE;
      case ACTIVE -> next == UNLOAD_PENDING || next == DELETE_PENDING;
      case UNLOAD_PENDING -> next == UNLOAD_DELETE_PENDING;
      case DELETE_PENDING -> next == UNLOAD_DELETE_PENDING || next == DELETED;
      case UNLOAD_DELETE_PENDING -> next == DELETED;
      case DELETED -> false;
    };
  }
}
