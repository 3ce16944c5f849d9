/**
 * The I/O manager, NT's {@code Io}: driver, device and file objects, IRPs and device stacks, the
 * load and unload protocol ({@code NtLoadDriver}, {@code NtUnloadDriver}) with deferred unload,
 * opens and closes of devices, and each driver image's import table.
 *
 * <h2>Locks</h2>
 *
 * <ul>
 *   <li>The I/O database lock ({@code IoDatabase}, one per kernel): every driver's device list and
 *       {@code DriverState}, and every device's flags, {@code DeviceState}, stack links and
 *       {@code ReferenceCount}. Decisions are made under it and acted on after it is released;
 *       driver code is never called with it held ({@code IoManager.callDriver} checks).
 *   <li>{@code DriverLoading.loadLock}, NT's {@code IopDriverLoadResource}: serializes loads and
 *       unloads, held around DriverEntry and DriverUnload as NT holds its resource. Reentrant, so a
 *       DriverEntry may load or unload drivers itself. Taken before the database lock, never after.
 * </ul>
 *
 * <h2>Reference counts</h2>
 *
 * <p>A driver object: the load reference (from insertion until unload or a failed DriverEntry),
 * one per device it created, and transient lookups; its delete procedure unmaps the image. A
 * device object: the keep-alive reference from creation to its final delete, plus a permanent one
 * while named; it references its driver while linked. A device's {@code ReferenceCount} counts
 * its opens (one per file object, plus one while registered as a file system) and is what unload
 * decisions use, with {@code AttachedDevice} and the device's {@code DeviceState} — through the
 * single predicate {@code UnloadPolicy.canUnloadNowLocked}, evaluated at NtUnloadDriver, at the
 * last close, at detach, at file-system unregister and at each device's final delete (B19, B20).
 * {@code UnloadPolicy} is also the one writer of every {@code DriverState} and {@code DeviceState}
 * (the state machines the {@code DRVO_}/{@code DOE_} bits derive from), and the one place that
 * decides under the I/O database lock and acts after releasing it. A file object
 * holds its device's count from the open's check to its own deletion; a request holds its file
 * object until it completes.
 */
package ntio.kernel.io;
