package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import ntio.ddk.DeviceTypes;

/**
 * The settings a control device is created from. Models {@code WDFDEVICE_INIT} as {@code
 * WdfControlDeviceInitAllocate} returns it (partial: name, type, characteristics, exclusivity; I/O
 * is always buffered; the SDDL string is kept but not applied).
 *
 * <p>It is framework memory: {@link Wdf#deviceCreate} consumes it on success; otherwise the driver
 * frees it with {@link Wdf#deviceInitFree}. Thread-safe (its own monitor).
 */
public final class WdfDeviceInit {

  final FxGlobals globals;
  final FxPool.Allocation allocation;
  final WdfDriver driver;
  final String sddl;

  @GuardedBy("this")
  private String name;

  @GuardedBy("this")
  private int deviceType = DeviceTypes.FILE_DEVICE_UNKNOWN;

  @GuardedBy("this")
  private int characteristics;

  @GuardedBy("this")
  private boolean exclusive;

  /** Consumed by a successful device create, or freed: no longer usable. */
  @GuardedBy("this")
  private boolean gone;

  WdfDeviceInit(FxGlobals globals, FxPool.Allocation allocation, WdfDriver driver, String sddl) {
    this.globals = globals;
    this.allocation = allocation;
    this.driver = driver;
    this.sddl = sddl;
  }

  synchronized void setName(String name) {
    this.name = name;
  }

  synchronized String name() {
    return name;
  }

  synchronized void setDeviceType(int deviceType) {
    this.deviceType = deviceType;
  }

  synchronized int deviceType() {
    return deviceType;
  }

  synchronized void setCharacteristics(int characteristics) {
    this.characteristics = characteristics;
  }

  synchronized int characteristics() {
    return characteristics;
  }

  synchronized void setExclusive(boolean exclusive) {
    this.exclusive = exclusive;
  }

  synchronized boolean exclusive() {
    return exclusive;
  }

  /** Marks it consumed or freed; false if it already was. */
  synchronized boolean retire() {
    if (gone) {
      return false;
    }
    gone = true;
    return true;
  }

  synchronized boolean isGone() {
    return gone;
  }
}
