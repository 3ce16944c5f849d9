/**
 * The image loader, the image part of NT's {@code Mm} ({@code MmLoadSystemImage}, {@code
 * MmUnloadSystemImage}, {@code PsLoadedModuleList}): driver images are JARs, each mapped into a
 * class loader of its own that links only against {@code java.*}, {@code ntio.ddk.*} and {@code
 * ntio.framework.*}.
 *
 * <p>The public face: {@link ntio.kernel.loader.ImagePaths} (a service's {@code ImagePath} to an NT
 * path to a host file, B5), {@link ntio.kernel.loader.ImagePolicy} (which host directories may hold
 * images), {@link ntio.kernel.loader.DriverLoader} (one per kernel: map, unmap, the loaded-image
 * list, B6), {@link ntio.kernel.loader.LoadedImage} (one mapping; it creates the entry point) and
 * {@link ntio.kernel.loader.UnloadProbe} (proof that an unmapped image was collected). It uses the
 * executive's {@code PoolOwner} and nothing else of the kernel.
 *
 * <p>Mapping reads the JAR once into memory and checks it whole before any class is defined: the
 * ZIP structure, the manifest ({@code Ntio-Driver-Entry}, {@code Ntio-Wdm}), every class file, and
 * every class each one names — NT's import resolution. So a driver that reaches kernel internals
 * fails to load with {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND} and never runs. This is linkage
 * isolation, not a sandbox: a driver can still reach the DDK's own class loader through {@code
 * ntio.ddk.X.class.getClassLoader()} and ask it for anything; the verifier is where such a driver
 * gets caught.
 *
 * <p>Last, {@link ntio.kernel.loader.CodeIntegrity} (Windows' driver signature enforcement, {@code
 * ci.dll}) judges the image's {@code jarsigner} signature ({@link
 * ntio.kernel.loader.ImageSignature}, the JDK's own JAR verification over the very bytes the
 * loader read) under the mode and trusted publishers in force, which the kernel reads from the
 * registry at every map; a refused image is {@code STATUS_INVALID_IMAGE_HASH}.
 *
 * <h2>Locks</h2>
 *
 * <ul>
 *   <li>{@code DriverLoader.systemLoadLock} ({@code MmSystemLoadLock}): held across a whole map or
 *       unmap, so "already loaded?" and the insertion are one step. Only reads files; never calls
 *       driver code.
 *   <li>{@code DriverLoader.listLock} ({@code PsLoadedModuleResource}): the list itself, taken
 *       inside {@code systemLoadLock} to change it and alone to read it. A leaf.
 *   <li>{@code LoadedImage.lock}: the image's class loader field. A leaf; the entry class is
 *       defined, initialized and constructed after it is released.
 * </ul>
 *
 * <p>Order: {@code systemLoadLock} before {@code listLock} before {@code LoadedImage.lock}. The
 * I/O manager may hold its driver-load serialization ({@code IopDriverLoadResource}) when it calls
 * in; it must not hold the I/O database lock, and no loader lock is held when driver code runs
 * ({@code newEntryPoint}, and everything the driver does later).
 *
 * <h2>Reference rules</h2>
 *
 * <p>A {@code LoadedImage} is referenced by the driver objects created from it ({@code
 * DriverSection}); the loader keeps it in the list but holds no count. The I/O manager calls
 * {@code unmap} when the last driver object made from the image is deleted — after a failed
 * {@code DriverEntry} (B10), a name that cannot be derived or inserted (B7, B8), or the end of an
 * unload — exactly once; a second unmap is an ntio bug ({@link java.lang.IllegalStateException}).
 * Unmapping drops and empties the image's class loader, the kernel's only path to the image's
 * classes; once the I/O manager has also dropped the entry point and the driver's objects, the
 * loader is unreachable and {@link ntio.kernel.loader.UnloadProbe} sees it collected. Each mapping
 * has its own pool owner, so a reloaded image's allocations are never mistaken for the old one's.
 */
package ntio.kernel.loader;
