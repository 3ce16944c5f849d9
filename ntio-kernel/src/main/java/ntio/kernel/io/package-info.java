/**
 * The I/O manager, NT's {@code Io}: so far its object types (Driver, Device, File, with the file
 * generic mapping of B46/T29) and its root directories ({@code \Driver}, {@code \FileSystem},
 * {@code \FileSystem\Filters}). Driver and device objects, the load and unload protocol, device
 * stacks and opens come with the load/unload issue.
 *
 * <h2>Locks and reference counts</h2>
 *
 * <p>None yet beyond the object manager's.
 */
package ntio.kernel.io;
