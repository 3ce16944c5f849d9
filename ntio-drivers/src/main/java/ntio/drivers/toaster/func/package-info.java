/**
 * The Toaster function driver ({@code Toaster.jar}, service {@code Toaster}): a framework PnP
 * driver after the WDK's KMDF toaster function driver (concepts, not code).
 *
 * <p>For each toaster the PnP manager adds — a root device with hardware ID {@code Root\Toaster}
 * and Service {@code Toaster}, or a toaster PDO the ToasterBus driver exposes — its
 * EvtDriverDeviceAdd creates an FDO named {@code \Device\Toaster<n>} (the first free n) with the
 * link {@code \DosDevices\Toaster<n>} and a sequential default queue. Its PnP/power callbacks
 * (PrepareHardware, D0Entry, D0Exit, ReleaseHardware) are traced, so that a test or {@code ntio
 * trace} watches the framework start and remove it. A write keeps up to 64 bytes, a read returns
 * them, and {@code IOCTL_TOASTER_GET_STATE} answers the instance number, the D0 entries and the
 * bytes kept. It frees nothing by hand: everything is parented to the WDFDEVICE or the WDFDRIVER,
 * and the framework deletes the device's tree at removal and the driver's at unload.
 */
package ntio.drivers.toaster.func;
