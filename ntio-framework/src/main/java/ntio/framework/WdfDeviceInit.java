package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;

/**
 * The settings a device is created from. Models {@code WDFDEVICE_INIT} (partial: name, type,
 * characteristics, exclusivity, and for a PnP device the filter flag and the PnP/power callbacks;
 * an FDO's I/O is always buffered, a filter's is its lower device's; the SDDL string is kept but
 * not applied).
 *
 * <p>A control device's init is what {@code WdfControlDeviceInitAllocate} returns: framework
 * memory that {@link Wdf#deviceCreate} consumes on success, or the driver frees with {@link
 * Wdf#deviceInitFree}. A PnP device's init is the one the framework's AddDevice hands to
 * EvtDriverDeviceAdd ({@link FxDriverAddDevice}): like KMDF's, it lives on AddDevice's stack, so it
 * takes no pool, freeing it does nothing, and it is gone when AddDevice returns. Thread-safe (its
 * own monitor).
 */
public final class WdfDeviceInit {

  final FxGlobals globals;
  final FxPool.Allocation allocation;
  final WdfDriver driver;
  final String sddl;
  /** The PDO of the stack a PnP device is added to; null for a control device's init. */
  final DeviceObject physicalDevice;

  @GuardedBy("this")
  private boolean filter;

  @GuardedBy("this")
  private WdfPnpPowerEventCallbacks pnpPowerCallbacks = WdfPnpPowerEventCallbacks.init();

  /** The WDFDEVICE made from this init ({@code CreatedDevice}): what AddDevice deletes on failure. */
  @GuardedBy("this")
  private WdfDevice createdDevice;

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
    this(globals, allocation, driver, sddl, null);
  }

  private WdfDeviceInit(FxGlobals globals, FxPool.Allocation allocation, WdfDriver driver, String sddl,
      DeviceObject physicalDevice) {
    this.globals = globals;
    this.allocation = allocation;
    this.driver = driver;
    this.sddl = sddl;
    this.physicalDevice = physicalDevice;
  }

  /** The init AddDevice gives EvtDriverDeviceAdd for {@code physicalDevice}: on AddDevice's stack. */
  static WdfDeviceInit forPnp(FxGlobals globals, WdfDriver driver, DeviceObject physicalDevice) {
    return new WdfDeviceInit(globals, null, driver, null, physicalDevice);
  }

  /** Whether this is a PnP device's init (an FDO's or a filter's), not a control device's. */
  boolean isPnp() {
    return physicalDevice != null;
  }

  /** Whether it lives on AddDevice's stack: freeing it does nothing ({@code CreatedOnStack}). */
  boolean onStack() {
    return allocation == null;
  }

  synchronized void setFilter(boolean filter) {
    this.filter = filter;
  }

  synchronized boolean filter() {
    return filter;
  }

  synchronized void setPnpPowerCallbacks(WdfPnpPowerEventCallbacks callbacks) {
    this.pnpPowerCallbacks = callbacks.copy();
  }

  synchronized WdfPnpPowerEventCallbacks pnpPowerCallbacks() {
    return pnpPowerCallbacks;
  }

  synchronized void setCreatedDevice(WdfDevice device) {
    this.createdDevice = device;
  }

  synchronized WdfDevice createdDevice() {
    return createdDevice;
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
