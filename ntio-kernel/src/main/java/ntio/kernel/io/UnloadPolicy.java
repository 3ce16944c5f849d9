package ntio.kernel.io;

import static ntio.ddk.DeviceFlags.DO_DEVICE_INITIALIZING;
import static ntio.ddk.DeviceFlags.DO_EXCLUSIVE;

import java.util.function.Predicate;
import java.util.function.Supplier;
import ntio.ddk.DriverFlags;
import ntio.ddk.NtStatus;

/**
 * The unload protocol, decided in one place: the only writer of every driver's {@link
 * DriverState} and every device's {@link DeviceState}, the one predicate "can this driver unload
 * now?", and the one "decide under the I/O database lock, then act after releasing it" handshake
 * every trigger goes through (B19–B21, B24–B26, B36, B43).
 *
 * <p>It is also the only writer of every device's {@code ReferenceCount} (opens and the
 * file-system registration, {@link #referenceForOpen} and {@link #registerFileSystem}), of the
 * device's file-system registration bit, and of a driver's load order: the rest of a driver's or
 * a device's life that unload decisions read. ntio-kernel's ArchitectureTest holds it to that.
 *
 * <p>Each trigger — NtUnloadDriver, IoDeleteDevice, the last close of a device (or any drop of its
 * {@code ReferenceCount}: a failed open, a file-system unregister), a detach — changes what it
 * changes under the lock and then asks {@link #decideLocked} what follows: the device's final
 * delete (it is unlinked there and then), and the driver's DriverUnload when the unload was asked
 * for and nothing holds it any more, or when a PnP driver's last device went. {@link #act} then
 * carries the {@link Decision} out with no lock held: DriverUnload runs through {@link Actions},
 * and the device's keep-alive reference is dropped.
 *
 * <p>Implementation notes: everything here that ends in {@code Locked} runs under the I/O database
 * lock; {@link #act} never does. DriverUnload is decided at most once per driver: the transition to
 * {@link DriverState#UNLOADING} is the decision, and the state machine refuses a second one.
 */
final class UnloadPolicy {

  /** What a decision is carried out with: the I/O manager's way of running DriverUnload. */
  interface Actions {
    /**
     * Runs {@code driver}'s DriverUnload and releases its name and load reference, then drops the
     * reference the decision took on it. {@code inline}: the caller is NtUnloadDriver on a System
     * worker holding the load lock, so run it here and now; otherwise as a deferred unload.
     */
    void unload(KernelDriverObject driver, boolean inline);
  }

  /**
   * What a trigger decided, to be carried out after the lock is released.
   *
   * @param finalDelete a device just unlinked whose keep-alive reference must be dropped, or null
   * @param unload a driver whose DriverUnload must run (referenced for it), or null
   * @param inline whether the unload runs on the caller's thread ({@link Actions#unload})
   */
  record Decision(KernelDeviceObject finalDelete, KernelDriverObject unload, boolean inline) {
    static final Decision NOTHING = new Decision(null, null, false);
  }

  private final IoDatabase database;
  private final Actions actions;
  private final Predicate<KernelDriverObject> canUnloadNow;
  /** While the PnP manager removes every device at shutdown, PnP drivers' unloads wait (§1.B). */
  private volatile boolean pnpUnloadsHeld;
  /** Told, with no lock held, of a device whose last open reference went: the PnP manager. */
  private volatile java.util.function.Consumer<KernelDeviceObject> unreferencedListener = device -> {};

  UnloadPolicy(IoDatabase database, Actions actions) {
    this(database, actions, UnloadPolicy::canUnloadNowLocked);
  }

  /**
   * A policy whose "can this driver unload now?" is {@code canUnloadNow} (called under the lock):
   * how the model checker of the protocol proves it catches a wrong predicate. Everything else
   * uses {@link #canUnloadNowLocked}.
   */
  UnloadPolicy(IoDatabase database, Actions actions, Predicate<KernelDriverObject> canUnloadNow) {
    this.database = database;
    this.actions = actions;
    this.canUnloadNow = canUnloadNow;
  }

  // ---------------------------------------------------------------------------------------------
  // The handshake

  /** Decides under the I/O database lock, then acts on the decision with no lock held. */
  private void decideThenAct(Supplier<Decision> decideLocked) {
    Decision decision;
    synchronized (database) {
      decision = decideLocked.get();
    }
    act(decision);
  }

  /** Carries a decision out; never under the lock. */
  private void act(Decision decision) {
    if (decision.unload() != null) {
      actions.unload(decision.unload(), decision.inline());
    }
    if (decision.finalDelete() != null) {
      decision.finalDelete().dereferenceOwnerReference();
    }
  }

  /**
   * After a change to {@code device} (or to its stack, or its driver's unload request): its final
   * delete when it is delete-pending, unopened and has nothing attached (B26, {@code
   * IopUnloadDevice}), then its driver's deferred unload (B20) or, when that final delete took a
   * PnP driver's last device, the driver's automatic unload.
   */
  private Decision decideLocked(KernelDeviceObject device, String cause) {
    KernelDriverObject driver = device.driver();
    boolean unlinked = false;
    if (device.stateLocked().deletePending() && device.referenceCountLocked() == 0
        && device.attachedDeviceLocked() == null) {
      unlinkLocked(driver, device);
      device.moveToLocked(DeviceState.DELETED, "final delete after " + cause);
      unlinked = true;
    }
    boolean unload = takeDeferredUnloadLocked(driver, cause)
        || (unlinked && takePnpUnloadLocked(driver));
    return unlinked || unload ? new Decision(unlinked ? device : null, unload ? driver : null, false)
        : Decision.NOTHING;
  }

  /**
   * "Can this driver unload now?" ({@code IopCheckUnloadDriver}): no device of the driver is open,
   * has a device attached on top of it, or waits for its final delete. The only place this is
   * decided.
   */
  static boolean canUnloadNowLocked(KernelDriverObject driver) {
    for (KernelDeviceObject device : driver.devicesLocked()) {
      if (device.referenceCountLocked() > 0 || device.attachedDeviceLocked() != null
          || device.stateLocked().deletePending()) {
        return false;
      }
    }
    return true;
  }

  /** B20: an asked-for unload whose driver can unload now becomes DriverUnload, once. */
  private boolean takeDeferredUnloadLocked(KernelDriverObject driver, String cause) {
    if (driver.stateLocked() != DriverState.UNLOAD_PENDING || !canUnloadNow.test(driver)) {
      return false;
    }
    driver.moveToLocked(DriverState.UNLOADING, cause);
    driver.reference();
    return true;
  }

  /** B26: a started PnP driver with an unload routine unloads when its last device goes. */
  private boolean takePnpUnloadLocked(KernelDriverObject driver) {
    if (pnpUnloadsHeld || driver.stateLocked() != DriverState.STARTED || driver.isLegacy()
        || driver.driverUnload() == null || driver.firstDeviceLocked() != null) {
      return false;
    }
    driver.moveToLocked(DriverState.UNLOADING, "last device deleted (PnP)");
    driver.reference();
    return true;
  }

  private static void unlinkLocked(KernelDriverObject driver, KernelDeviceObject device) {
    KernelDeviceObject previous = null;
    for (KernelDeviceObject d = driver.firstDeviceLocked(); d != null; d = d.nextDeviceLocked()) {
      if (d == device) {
        if (previous == null) {
          driver.setFirstDeviceLocked(d.nextDeviceLocked());
        } else {
          previous.setNextDeviceLocked(d.nextDeviceLocked());
        }
        d.setNextDeviceLocked(null);
        return;
      }
      previous = d;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Triggers

  /**
   * NtUnloadDriver's refusals, in NT's order: STATUS_DELETE_PENDING once DriverUnload was invoked
   * (B16); STATUS_INVALID_DEVICE_REQUEST for a driver with no DriverUnload, a builtin driver or a
   * PnP driver (B17); success when the unload may be asked for.
   */
  NtStatus refusal(KernelDriverObject driver) {
    if ((driver.flags() & DriverFlags.DRVO_UNLOAD_INVOKED) != 0) {
      return NtStatus.STATUS_DELETE_PENDING;
    }
    if (driver.driverUnload() == null || driver.image() == null || !driver.isLegacy()) {
      return NtStatus.STATUS_INVALID_DEVICE_REQUEST;
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * NtUnloadDriver's request (B19): every device is marked {@code DOE_UNLOAD_PENDING}; then
   * DriverUnload runs on the caller's thread if nothing holds the driver, or later (B20).
   *
   * <p>B16 is decided again here, under the lock: between NtUnloadDriver's first look and this
   * moment, an earlier request's last close or detach may have invoked DriverUnload; then this
   * request is STATUS_DELETE_PENDING, as it would have been had it come a moment later. (The model
   * checker of the protocol found that interleaving.)
   *
   * @return STATUS_SUCCESS, or STATUS_DELETE_PENDING when DriverUnload was invoked meanwhile
   */
  NtStatus requestUnload(KernelDriverObject driver) {
    NtStatus[] status = {NtStatus.STATUS_SUCCESS};
    decideThenAct(() -> {
      if (driver.stateLocked().unloadInvoked(driver.previousStateLocked())) {
        status[0] = NtStatus.STATUS_DELETE_PENDING;
        return Decision.NOTHING;
      }
      for (KernelDeviceObject device : driver.devicesLocked()) {
        DeviceState marked = device.stateLocked().markedForUnload();
        if (marked != device.stateLocked()) {
          device.moveToLocked(marked, "NtUnloadDriver");
        }
      }
      driver.moveToLocked(DriverState.UNLOAD_PENDING, "NtUnloadDriver");
      return takeDeferredUnloadLocked(driver, "NtUnloadDriver")
          ? new Decision(null, driver, true) : Decision.NOTHING;
    });
    return status[0];
  }

  /**
   * {@code IoDeleteDevice}'s part (B25, B26): marks the device delete-pending and, if nothing
   * holds it, finally deletes it now. A second delete does nothing.
   */
  void deleteDevice(KernelDeviceObject device) {
    decideThenAct(() -> {
      DeviceState marked = device.stateLocked().markedForDelete();
      if (marked == device.stateLocked()) {
        return Decision.NOTHING;
      }
      device.moveToLocked(marked, "IoDeleteDevice");
      return decideLocked(device, "IoDeleteDevice");
    });
  }

  /**
   * Drops one {@code ReferenceCount} ({@code IopDecrementDeviceObjectRef}): at zero, a
   * delete-pending device has its final delete and its driver's deferred unload may finish (B20,
   * B24). {@code cause} names the trigger: "last close", "IoUnregisterFileSystem", "failed open".
   */
  void releaseReference(KernelDeviceObject device, String cause) {
    boolean[] unreferenced = {false};
    decideThenAct(() -> {
      unreferenced[0] = device.decrementReferenceCountLocked() == 0;
      return decideLocked(device, cause);
    });
    if (unreferenced[0]) {
      unreferencedListener.accept(device);
    }
  }

  /**
   * {@code IoDetachDevice}'s part (B32): after {@code unlinkLocked} cleared the link to the device
   * on top, the target's final delete and its driver's deferred unload may proceed.
   */
  void detach(KernelDeviceObject target, Runnable unlinkLocked) {
    decideThenAct(() -> {
      unlinkLocked.run();
      return decideLocked(target, "IoDetachDevice");
    });
  }

  /**
   * {@code IopCheckDeviceAndDriver} (B36): an open of a device that is initializing or going away
   * fails with STATUS_NO_SUCH_DEVICE, a second open of an exclusive device with
   * STATUS_ACCESS_DENIED (unless {@code exclusiveExempt}: an attach open, or one relative to a file
   * of the device); on success the device's {@code ReferenceCount} was raised, and no unload or
   * final delete can be decided until it is released ({@link #releaseReference}).
   */
  NtStatus referenceForOpen(KernelDeviceObject device, boolean exclusiveExempt) {
    synchronized (database) {
      if (device.stateLocked().goingAway() || (device.flagsLocked() & DO_DEVICE_INITIALIZING) != 0
          || device.pnpRemovalLocked() != 0) {
        return NtStatus.STATUS_NO_SUCH_DEVICE;
      }
      if ((device.flagsLocked() & DO_EXCLUSIVE) != 0 && device.referenceCountLocked() > 0 && !exclusiveExempt) {
        return NtStatus.STATUS_ACCESS_DENIED;
      }
      device.incrementReferenceCountLocked();
      return NtStatus.STATUS_SUCCESS;
    }
  }

  /**
   * {@code IoRegisterFileSystem} (B43): the control device becomes openable and the registration
   * holds one {@code ReferenceCount}, so its driver's unload waits for {@link
   * #unregisterFileSystem}. A second registration does nothing.
   */
  void registerFileSystem(KernelDeviceObject device) {
    synchronized (database) {
      if (device.isRegisteredFileSystemLocked()) {
        return;
      }
      device.setRegisteredFileSystemLocked(true);
      device.clearSystemFlagsLocked(DO_DEVICE_INITIALIZING);
      device.incrementReferenceCountLocked();
    }
  }

  /**
   * {@code IoUnregisterFileSystem} (B43): the registration's reference is released like any other
   * ({@link #releaseReference}) and — unlike ReactOS, as the spec asks — a deferred unload is
   * decided again. Unregistering a device that is not registered does nothing.
   */
  void unregisterFileSystem(KernelDeviceObject device) {
    decideThenAct(() -> {
      if (!device.isRegisteredFileSystemLocked()) {
        return Decision.NOTHING;
      }
      device.setRegisteredFileSystemLocked(false);
      device.decrementReferenceCountLocked();
      return decideLocked(device, "IoUnregisterFileSystem");
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Load, creation and deletion: transitions with nothing to decide

  /** IoCreateDevice linked {@code device} into its driver's list (under the lock). */
  static void linkedLocked(KernelDeviceObject device) {
    device.moveToLocked(DeviceState.ACTIVE, "IoCreateDevice");
  }

  /**
   * B11: DriverEntry (or IoCreateDriver's routine) succeeded: every device it created becomes
   * openable, the driver takes its place {@code loadOrder} in the load sequence, and it is started
   * — unless DriverEntry already asked for its own unload.
   */
  void entrySucceeded(KernelDriverObject driver, long loadOrder) {
    synchronized (database) {
      driver.setLoadOrder(loadOrder);
      for (KernelDeviceObject device : driver.devicesLocked()) {
        device.clearSystemFlagsLocked(DO_DEVICE_INITIALIZING);
      }
      if (driver.stateLocked() == DriverState.LOADING) {
        driver.moveToLocked(DriverState.STARTED, "DriverEntry succeeded");
      }
    }
  }

  /**
   * B10: DriverEntry failed. Returns whether the caller must drop the driver's name and load
   * reference: not when DriverEntry had its own driver unloaded before failing, which already did.
   */
  boolean entryFailed(KernelDriverObject driver, NtStatus status) {
    synchronized (database) {
      DriverState state = driver.stateLocked();
      if (state != DriverState.LOADING && state != DriverState.UNLOAD_PENDING) {
        return false;
      }
      driver.moveToLocked(DriverState.ENTRY_FAILED, "DriverEntry returned " + status);
      return true;
    }
  }

  /** DriverUnload returned (B19 step 3): the name and the load reference go next. */
  void unloadReturned(KernelDriverObject driver) {
    synchronized (database) {
      driver.moveToLocked(DriverState.UNLOADED, "DriverUnload returned");
    }
  }

  /**
   * The Driver type's delete procedure began ({@code IopDeleteDriver}): the driver is gone.
   * Returns whether it has an image to unmap. Runs exactly once per driver object.
   */
  boolean driverDeleted(KernelDriverObject driver) {
    synchronized (database) {
      driver.moveToLocked(DriverState.DELETED, "last reference");
      driver.clearClientExtensionsLocked();
      return driver.image() != null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plug and Play: the PnP manager's removal of a stack, and its unload of an unused driver

  /**
   * Holds (or releases) the PnP unload of drivers whose last device goes: at shutdown every PnP
   * device is removed before any driver is unloaded (spec §1.B), so the PnP manager holds them
   * during its removal and then unloads each unused driver ({@link #unloadUnusedPnpDriver}).
   */
  void holdPnpUnloads(boolean hold) {
    pnpUnloadsHeld = hold;
  }

  /** Tells {@code listener} of every device whose last open reference goes (after the decision). */
  void onUnreferenced(java.util.function.Consumer<KernelDeviceObject> listener) {
    unreferencedListener = java.util.Objects.requireNonNull(listener);
  }

  /**
   * The open-handle half of {@code IRP_MN_QUERY_REMOVE_DEVICE} and the start of a surprise removal:
   * unless {@code evenIfOpen}, a device of {@code stack} that is open vetoes
   * ({@code PNP_VetoOutstandingOpen}) and nothing changes; otherwise every device of the stack is
   * marked {@code DOE_REMOVE_PENDING}, in the same locked step, so no open can slip in between the
   * look and the mark (B36 refuses opens of a remove-pending device).
   *
   * @return the first open device, which vetoed; null when the stack is now remove-pending
   */
  KernelDeviceObject beginRemoval(java.util.List<KernelDeviceObject> stack, boolean evenIfOpen) {
    synchronized (database) {
      if (!evenIfOpen) {
        for (KernelDeviceObject device : stack) {
          if (device.referenceCountLocked() > 0) {
            return device;
          }
        }
      }
      for (KernelDeviceObject device : stack) {
        device.setPnpRemovalLocked(ntio.ddk.DeviceFlags.DOE_REMOVE_PENDING);
      }
      return null;
    }
  }

  /** {@code IRP_MN_CANCEL_REMOVE_DEVICE}'s part: the stack is openable again. */
  void cancelRemoval(java.util.List<KernelDeviceObject> stack) {
    synchronized (database) {
      for (KernelDeviceObject device : stack) {
        device.setPnpRemovalLocked(0);
      }
    }
  }

  /** {@code IRP_MN_REMOVE_DEVICE} was sent: what is left of the stack is remove-processed. */
  void removalProcessed(java.util.List<KernelDeviceObject> stack) {
    synchronized (database) {
      for (KernelDeviceObject device : stack) {
        device.setPnpRemovalLocked(ntio.ddk.DeviceFlags.DOE_REMOVE_PROCESSED);
      }
    }
  }

  /** Whether any device of {@code stack} is open. */
  boolean anyOpen(java.util.List<KernelDeviceObject> stack) {
    synchronized (database) {
      for (KernelDeviceObject device : stack) {
        if (device.referenceCountLocked() > 0) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * {@code IopUnloadDriver} with {@code InvokedByPnpMgr} for a PnP driver that has no device
   * (its AddDevice failed, or created nothing): DriverUnload and then the image, as when its last
   * device is deleted (B26, B41). A legacy driver, one without DriverUnload, one not started or one
   * that still has a device is left alone.
   *
   * @param inline whether DriverUnload runs on the caller's thread before this returns (the PnP
   *     manager's removal of every device at shutdown, which must leave no unload still running)
   *     or on a System worker
   * @return whether the unload was decided
   */
  boolean unloadUnusedPnpDriver(KernelDriverObject driver, boolean inline) {
    boolean[] decided = {false};
    decideThenAct(() -> {
      if (!takePnpUnloadLocked(driver)) {
        return Decision.NOTHING;
      }
      decided[0] = true;
      return new Decision(null, driver, inline);
    });
    return decided[0];
  }
}
