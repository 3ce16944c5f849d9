/**
 * Processes and threads, NT's {@code Ps} (and the {@code Ke} notion of previous mode): the System
 * process with the kernel handle table and its worker threads, client processes with their own
 * token, handle table and quota, and {@link ntio.kernel.process.KThread}, the calling context every
 * system service names explicitly.
 *
 * <h2>Locks</h2>
 *
 * <p>Each {@code KProcess}'s monitor guards its state and exit status, a leaf. The process list is
 * a concurrent map. Termination runs the rundown hooks and the handle-table rundown with no lock
 * of this package held.
 *
 * <h2>Reference counts</h2>
 *
 * <p>None of its own: processes are not yet objects in the namespace. A process's handles are
 * closed by its rundown, which is what completes whatever they were holding up.
 */
package ntio.kernel.process;
