/**
 * The executive support routines, NT's {@code Ex} (plus the {@code Ke} pieces they stand on): bug
 * checks ({@code KeBugCheckEx}), events ({@code KEVENT}, {@code KeWaitFor...}), the system work
 * queues ({@code ExQueueWorkItem}) and the pool ({@code ExAllocatePoolWithTag}). The registry,
 * processes and the I/O manager sit above it. Only {@link ntio.kernel.executive.Events} and {@link
 * ntio.kernel.executive.EventObject} use a package below, the object manager, to give events a place
 * in the namespace; the rest depends on nothing but the JDK and the DDK.
 *
 * <p>One instance of each facility per kernel: {@link ntio.kernel.executive.BugChecks}, {@link
 * ntio.kernel.executive.WorkQueues}, {@link ntio.kernel.executive.Pool}. Nothing here is static and
 * mutable; events belong to no kernel at all.
 *
 * <h2>Locks</h2>
 *
 * <ul>
 *   <li>{@code KEvent.lock}, one per event: its signal state and wait list. A setter holds only its
 *       own and may <em>try</em> (never block on) the locks of a WaitAll's other events. A waiter
 *       takes all of its events' locks, blocking, in one order ({@code KEvent.lockOrder}). No
 *       thread ever parks while holding an event lock.
 *   <li>{@code WorkQueues.acceptLock}: "still accepting work?" and the enqueue that follows, so no
 *       item lands behind the shutdown markers. Never held while a routine runs.
 *   <li>{@code BugChecks.secondaryLock}: the list of secondary bug checks; nothing is called under
 *       it.
 *   <li>The pool, quota blocks and bug-check winner take no lock: concurrent maps, compare-and-set
 *       and {@code LongAdder}s.
 * </ul>
 *
 * <h2>Lock order</h2>
 *
 * <p>Inside this package: event locks (in {@code lockOrder}) are never held while taking {@code
 * acceptLock} or {@code secondaryLock}, and those two are never held together or while taking an
 * event lock. For the kernel as a whole, executive locks are <em>leaves</em>: the executive never
 * calls out (crash handler, work routine, driver code) while holding one, so any lock of a package
 * above may be held when calling into the executive, and no executive lock is ever held when a
 * package above takes its own. A bug check raised while a caller holds its own locks runs the crash
 * handler with those locks held; the default handler only writes files and stops the kernel.
 *
 * <h2>The kernel's lock order</h2>
 *
 * <p>Written once, here. A lock may be taken while holding one above it in this list, never the
 * other way round; locks on the same line are never held together.
 *
 * <ol>
 *   <li>{@code DriverLoading.loadLock} in {@code io} ({@code IopDriverLoadResource}): serializes
 *       loads and unloads, and is the one lock held while driver code runs (DriverEntry,
 *       DriverUnload, and what they call), so every lock below may be taken under it. Never taken
 *       while holding any other.
 *   <li>{@code Kernel} state monitor — a leaf: nothing is called under it.
 *   <li>{@code RegistryLock} in {@code registry} — the hive's; held only inside the hive, never
 *       while calling out.
 *   <li>{@code Namespace.lock} in {@code objects} (read/write).
 *   <li>{@code IoDatabase} in {@code io}, the I/O database lock: device lists and stacks, {@code
 *       ReferenceCount}, and every {@code DriverState}/{@code DeviceState} transition
 *       ({@code UnloadPolicy} decides under it). Under it only object monitors are taken (a
 *       {@code reference()}); an object's delete procedure, the namespace and driver code never
 *       run under it.
 *   <li>{@code HandleTable} monitors.
 *   <li>{@code KernelObject} monitors; {@code KProcess} monitors; {@code Token} locks.
 *   <li>Executive locks (above): leaves.
 * </ol>
 *
 * <p>Driver code — parse procedures that reach drivers, dispatch routines, DriverEntry,
 * DriverUnload — is never called while any of these but the load lock is held.
 *
 * <h2>Reference counts</h2>
 *
 * <p>None: pool blocks are freed explicitly (a second free is a bug check), work items and events
 * live as long as Java references to them.
 */
package ntio.kernel.executive;
