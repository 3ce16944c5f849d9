/**
 * The Filter driver ({@code Filter.jar}): an unnamed device attached on top of
 * {@code \Device\Echo} that counts every request on its way down, and the bytes of every read
 * and write on its way back up.
 *
 * <p>It demonstrates a legacy filter: {@code IoAttachDevice} by name (and the clean failure when
 * the name does not exist: its DriverEntry deletes its device and returns the lookup's status), a
 * filter copying the buffering flags of the device below, one dispatch routine for every major
 * function that passes the IRP down with {@code IoSkipCurrentIrpStackLocation} +
 * {@code IoCallDriver}, control codes the filter answers itself without passing them down, and a
 * DriverUnload that detaches before deleting.
 *
 * <p>For reads and writes it demonstrates a filter that wants the request back: {@code
 * IoCopyCurrentIrpStackLocationToNext}, {@code IoSetCompletionRoutine} on success, error and
 * cancel, and a completion routine that counts the bytes moved, propagates pending with {@code
 * IoMarkIrpPending} and lets completion continue — on whatever thread completes the request.
 */
package ntio.drivers.filter;
