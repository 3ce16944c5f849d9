package ntio.framework;

/**
 * What {@link Wdf#driverCreate} is configured with. Models {@code WDF_DRIVER_CONFIG} and {@code
 * WDF_DRIVER_CONFIG_INIT} (full; a PnP driver's EvtDriverDeviceAdd is called by the framework's
 * AddDevice when the PnP manager adds a device). A plain mutable value, read during the call; not
 * thread-safe.
 */
public final class WdfDriverConfig {

  /** {@code sizeof(WDF_DRIVER_CONFIG)} on x64; {@link #size()} starts at it. */
  public static final int SIZE = 0x20;

  /** {@code WdfDriverInitNonPnpDriver}: a legacy driver with control devices only. */
  public static final int INIT_NON_PNP_DRIVER = 0x1;
  /** {@code WdfDriverInitNoDispatchOverride}: the framework installs no dispatch routines. */
  public static final int INIT_NO_DISPATCH_OVERRIDE = 0x2;

  private static final int KNOWN_FLAGS = INIT_NON_PNP_DRIVER | INIT_NO_DISPATCH_OVERRIDE;

  /** {@code EVT_WDF_DRIVER_DEVICE_ADD}: a PnP driver's device-add callback. */
  @FunctionalInterface
  public interface DeviceAddCallback {
    /**
     * Creates the driver's WDFDEVICE for a new device: {@link Wdf#deviceCreate} with {@code init}.
     * A failure after the WDFDEVICE was created deletes it with its subtree (O20).
     */
    ntio.ddk.NtStatus deviceAdd(WdfDriver driver, WdfDeviceInit init);
  }

  /**
   * {@code EVT_WDF_DRIVER_UNLOAD}: called at normal unload only, before the WDFDRIVER's tree is
   * deleted — never after a failed DriverEntry (L6, L7). Global cleanup belongs in the
   * WDFDRIVER's cleanup callback instead (L8).
   */
  @FunctionalInterface
  public interface DriverUnloadCallback {
    /** The driver is unloading. */
    void unload(WdfDriver driver);
  }

  private int size = SIZE;
  private DeviceAddCallback deviceAdd;
  private DriverUnloadCallback driverUnload;
  private int driverInitFlags;
  private int driverPoolTag;

  private WdfDriverConfig(DeviceAddCallback deviceAdd) {
    this.deviceAdd = deviceAdd;
  }

  /** A config with {@code EvtDriverDeviceAdd} (null for none). Models {@code WDF_DRIVER_CONFIG_INIT} (full). */
  public static WdfDriverConfig init(DeviceAddCallback deviceAdd) {
    return new WdfDriverConfig(deviceAdd);
  }

  /** A non-PnP driver's config: no device-add, {@link #INIT_NON_PNP_DRIVER}. */
  public static WdfDriverConfig nonPnp() {
    return new WdfDriverConfig(null).driverInitFlags(INIT_NON_PNP_DRIVER);
  }

  static boolean flagsKnown(int flags) {
    return (flags & ~KNOWN_FLAGS) == 0;
  }

  /** {@code Size}. */
  public int size() {
    return size;
  }

  /** Sets {@code Size}; anything but {@link #SIZE} is {@code STATUS_INFO_LENGTH_MISMATCH}. */
  public WdfDriverConfig size(int size) {
    this.size = size;
    return this;
  }

  /** {@code EvtDriverDeviceAdd}, or null. */
  public DeviceAddCallback deviceAdd() {
    return deviceAdd;
  }

  /** Sets {@code EvtDriverDeviceAdd}. */
  public WdfDriverConfig deviceAdd(DeviceAddCallback callback) {
    this.deviceAdd = callback;
    return this;
  }

  /** {@code EvtDriverUnload}, or null. */
  public DriverUnloadCallback driverUnload() {
    return driverUnload;
  }

  /** Sets {@code EvtDriverUnload}. */
  public WdfDriverConfig driverUnload(DriverUnloadCallback callback) {
    this.driverUnload = callback;
    return this;
  }

  /** {@code DriverInitFlags}. */
  public int driverInitFlags() {
    return driverInitFlags;
  }

  /** Sets {@code DriverInitFlags}: {@link #INIT_NON_PNP_DRIVER}, {@link #INIT_NO_DISPATCH_OVERRIDE}. */
  public WdfDriverConfig driverInitFlags(int flags) {
    this.driverInitFlags = flags;
    return this;
  }

  /** {@code DriverPoolTag}: 0 to derive it from the service name (L11). */
  public int driverPoolTag() {
    return driverPoolTag;
  }

  /** Sets {@code DriverPoolTag}, packed as {@link ntio.ddk.PoolTag#of} packs it. */
  public WdfDriverConfig driverPoolTag(int tag) {
    this.driverPoolTag = tag;
    return this;
  }
}
