/**
 * The Echo driver ({@code Echo.jar}): {@code \Device\Echo}, reachable as {@code \??\Echo}, where
 * the bytes written through any open are read back, in order, through any open.
 *
 * <p>It demonstrates the parts of a legacy driver that Null leaves out: state shared by every open
 * kept in the device extension (one FIFO per device, safe against concurrent requests), buffered
 * I/O ({@code DO_BUFFERED_IO}, so reads and writes see the system buffer), a symbolic link that
 * DriverEntry creates and DriverUnload deletes, a private device control, and a DriverEntry that
 * undoes its partial work when a later step fails, since DriverUnload is never called after a
 * failed DriverEntry.
 *
 * <p>It also demonstrates requests that complete later: a read of an empty FIFO is marked pending
 * and queued with a cancel routine, following the cancel-safe protocol of {@code
 * IoSetCancelRoutine}; a write completes the waiting reads it serves, in arrival order; the cancel
 * routine and {@code IRP_MJ_CLEANUP} complete waiting reads with {@code STATUS_CANCELLED}; and no
 * request is ever completed while the FIFO's lock is held.
 */
package ntio.drivers.echo;
