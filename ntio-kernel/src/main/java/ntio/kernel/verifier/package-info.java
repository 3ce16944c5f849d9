/**
 * Driver Verifier: which images are verified and how (DV1, DV3), and the checks it makes. So far:
 * pool tracking with the unload scan at image unmap, after DriverUnload or after a failed
 * DriverEntry (DV4), reported as bug check 0xC4/0x62 with every leaked allocation; pool misuse at
 * allocate and free (DV5); the randomized and the systematic low resources simulations (DV6,
 * DV7); per-load statistics and non-fatal findings for {@code verifier /query}.
 *
 * Also the
 * class-loader probe at the same unmap (DV8): {@code LoaderProbes} batches the images unmapped
 * together into one {@code System.gc()} on a critical System worker ({@link
 * ntio.kernel.verifier.LoaderProbe} is the synchronous core), and a loader still reachable is a
 * non-fatal {@link ntio.api.VerifierFinding} naming the thread or shutdown hook that
 * holds it where the JVM shows it.
 *
 * <p>Locks: {@code LoaderProbes.lock} is a leaf, held only to queue or take probes and to count;
 * collections, thread snapshots and findings happen without it, and never under a kernel lock. Otherwise none held across a call out. Counters are atomic; the findings lists are guarded by
 * their own monitors, taken for a copy or an append only. The systematic simulation's seen-site
 * table is per kernel and holds strings, never a class of an image.
 *
 * <p>Sits beside {@code io} and {@code loader}: it reads the registry and the pool and knows
 * images, and the I/O manager calls it; it never calls the I/O manager.
 */
package ntio.kernel.verifier;
