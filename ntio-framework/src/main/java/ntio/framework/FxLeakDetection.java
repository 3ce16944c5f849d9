package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * Object-count leak detection for one driver. Models {@code FxObjectDebugLeakDetection} and
 * {@code FxObject::VerifyLeakDetectionConsiderObject} (S2, S10; V-KMDF-08).
 *
 * <p>With the verifier on and {@code ObjectLeakDetectionLimit} set (not {@code 0xFFFFFFFF}), the
 * framework counts the driver's live objects of the types {@code ObjectsForLeakDetection} names
 * (by default WDFMEMORY, WDFWORKITEM, WDFOBJECT and WDFDEVICE of ntio's types; WDFREQUEST only when
 * driver-created, which ntio's never are). Every WDFDEVICE is counted whatever the list, and each
 * one after the first raises the limit by {@code ObjectLeakDetectionLimit}: the limit is per
 * driver and scales with its devices, {@code Limit × max(1, devices)}. When the count reaches that
 * scaled limit, the framework reports "excessive number of allocated WDF objects" once and turns
 * the check off. An object is counted when it is constructed and uncounted when it is destroyed
 * (a device's destruction lowers the limit again, except for the last device).
 *
 * <p>Thread-safe: its counts are guarded by its own monitor; the report is made outside it.
 */
final class FxLeakDetection {

  /** The check's id. */
  static final String CHECK = "V-KMDF-08";

  private final FxGlobals globals;
  /** {@code ObjectLeakDetectionLimit}; -1 when detection is off. */
  private final long limit;

  @GuardedBy("this")
  private long limitScaled;

  @GuardedBy("this")
  private long objects;

  @GuardedBy("this")
  private long devices;

  @GuardedBy("this")
  private boolean enabled;

  FxLeakDetection(FxGlobals globals) {
    this.globals = globals;
    this.limit = globals.settings.objectLeakDetectionLimit();
    this.limitScaled = limit;
    this.enabled = limit >= 0;
  }

  /**
   * Counts a new object of {@code type} if its type is counted. Called when the object is
   * constructed.
   *
   * @return whether it was counted, so that {@link #destroyed} uncounts it
   */
  boolean constructed(WdfHandleType type) {
    if (limit < 0) {
      return false;
    }
    boolean device = type == WdfHandleType.WDFDEVICE;
    long count;
    long scaled;
    long deviceCount;
    synchronized (this) {
      if (!enabled || !(device || globals.settings.countsForLeakDetection(type))) {
        return false;
      }
      if (device && ++devices >= 2) {
        limitScaled += limit;
      }
      count = ++objects;
      if (count != limitScaled) {
        return true;
      }
      enabled = false;
      scaled = limitScaled;
      deviceCount = devices;
    }
    globals.verifierBreak(CHECK, "excessive number of allocated WDF objects: " + count + " live objects of the"
        + " types counted (a " + type + " was the last), ObjectLeakDetectionLimit " + limit + " scaled by "
        + Math.max(1, deviceCount) + " WDFDEVICE(s) to " + scaled + "; leak detection is now off for the driver");
    return true;
  }

  /** Uncounts an object {@link #constructed} counted, when it is destroyed. */
  void destroyed(WdfHandleType type) {
    synchronized (this) {
      objects--;
      if (type == WdfHandleType.WDFDEVICE && devices-- != 1) {
        limitScaled -= limit;
      }
    }
  }

  /** Objects counted now, for diagnostics. */
  synchronized long count() {
    return objects;
  }

  /** The limit now: {@code ObjectLeakDetectionLimit} times the devices (at least one); -1 when off. */
  synchronized long limitScaled() {
    return limitScaled;
  }
}
