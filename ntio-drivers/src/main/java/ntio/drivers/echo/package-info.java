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
 */
package ntio.drivers.echo;
