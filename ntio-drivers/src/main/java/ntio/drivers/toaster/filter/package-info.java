/**
 * The ToasterFilter driver ({@code ToasterFilter.jar}, WDM): an upper filter on a toaster's stack,
 * after the WDK toaster sample's filter (concepts, not code).
 *
 * <p>It demonstrates what every WDM filter must do, and nothing else: attach in AddDevice on top
 * of the stack the PnP manager is building, taking the device type, characteristics and buffering
 * flags of the device below; pass every request down unchanged with {@code
 * IoSkipCurrentIrpStackLocation} + {@code IoCallDriver}; on IRP_MN_REMOVE_DEVICE pass it down,
 * then detach and delete. It counts what it passed, by major function and by PnP minor function,
 * and answers one control code with the counts, so a test or a curious user can watch the PnP
 * manager's IRPs go by.
 */
package ntio.drivers.toaster.filter;
