/**
 * The Filter driver ({@code Filter.jar}): an unnamed device attached on top of
 * {@code \Device\Echo} that counts every request on its way down.
 *
 * <p>It demonstrates a legacy filter: {@code IoAttachDevice} by name (and the clean failure when
 * the name does not exist: its DriverEntry deletes its device and returns the lookup's status), a
 * filter copying the buffering flags of the device below, one dispatch routine for every major
 * function that passes the IRP down with {@code IoSkipCurrentIrpStackLocation} +
 * {@code IoCallDriver}, a control code the filter answers itself without passing it down, and a
 * DriverUnload that detaches before deleting.
 */
package ntio.drivers.filter;
