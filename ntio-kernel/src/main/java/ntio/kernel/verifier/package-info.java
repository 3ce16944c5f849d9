/**
 * Driver Verifier: which images are verified and how (DV1, DV3), and the checks it makes. So far:
 * pool tracking with the unload scan at image unmap, after DriverUnload or after a failed
 * DriverEntry (DV4), reported as bug check 0xC4/0x62 with every leaked allocation; pool misuse at
 * allocate and free (DV5); the randomized and the systematic low resources simulations (DV6,
 * DV7); per-load statistics and non-fatal findings for {@code verifier /query}.
 *
 * <p>Locks: none held across a call out. Counters are atomic; the findings lists are guarded by
 * their own monitors, taken for a copy or an append only. The systematic simulation's seen-site
 * table is per kernel and holds strings, never a class of an image.
 *
 * <p>Sits beside {@code io} and {@code loader}: it reads the registry and the pool and knows
 * images, and the I/O manager calls it; it never calls the I/O manager.
 */
package ntio.kernel.verifier;
