package ntio.framework;

import ntio.ddk.DriverObject;

/**
 * {@code WDFDRIVER}: the driver's root object. Models {@code FxDriver} (S6; partial). Created by
 * {@link Wdf#driverCreate}, never parented, never deletable by the driver (O14); the framework
 * deletes it — running the whole tree's cleanup and destroy callbacks — at normal unload after
 * EvtDriverUnload (L7), or when DriverEntry fails (L6).
 */
public final class WdfDriver extends WdfObject {

  private final WdfDriverConfig.DriverUnloadCallback unloadCallback;
  private final boolean nonPnp;
  private final boolean dispatchOverride;

  WdfDriver(FxGlobals globals, FxPool.Allocation allocation, WdfObjectAttributes attributes,
      WdfDriverConfig config) {
    super(globals, WdfHandleType.WDFDRIVER, allocation, attributes);
    this.unloadCallback = config.driverUnload();
    this.nonPnp = (config.driverInitFlags() & WdfDriverConfig.INIT_NON_PNP_DRIVER) != 0;
    this.dispatchOverride = (config.driverInitFlags() & WdfDriverConfig.INIT_NO_DISPATCH_OVERRIDE) == 0;
    // The default of every device: Dispatch / None unless the driver's attributes say otherwise
    // (FxDriver::FxDriver, FxDriver::ConfigureConstraints); its own lock is always a mutex lock.
    deliversCallbacks(FxConstraints.DRIVER_DEFAULT.inheritedBy(attributes), new FxCallbackLock.Passive(globals, this));
  }

  /**
   * Waits for the dispose list to drain before the driver's own cleanup: {@code FxDriver::Dispose}
   * calls {@code m_DisposeList->WaitForEmpty()} (O10).
   */
  @Override
  void disposeResources() {
    globals.disposeList.waitForEmpty();
  }

  /** The WDM driver object. Models {@code WdfDriverWdmGetDriverObject} (full). */
  public DriverObject wdmDriverObject() {
    return globals.driverObject;
  }

  /** Whether the driver was created with {@link WdfDriverConfig#INIT_NON_PNP_DRIVER}. */
  public boolean isNonPnp() {
    return nonPnp;
  }

  boolean dispatchOverride() {
    return dispatchOverride;
  }

  /**
   * The framework's unload routine, which WdfDriverCreate installs as {@code DriverUnload}.
   * Models {@code FxDriver::Unload} (L7 a–c): EvtDriverUnload, then delete the WDFDRIVER (the
   * whole tree's cleanups, then destroys), then forget it so the unbind does not delete it again.
   */
  void unload(DriverObject driverObject) {
    if (unloadCallback != null) {
      unloadCallback.unload(this);
    }
    delete(false);
    globals.clearDriver();
  }
}
