/**
 * Driver Verifier: which images are verified and how (DV1, DV3), and the checks it makes. So far:
 * pool tracking with the unload scan at image unmap, after DriverUnload or after a failed
 * DriverEntry (DV4), reported as bug check 0xC4/0x62 with every leaked allocation.
 *
 * <p>Sits beside {@code io} and {@code loader}: it reads the registry and the pool and knows
 * images, and the I/O manager calls it; it never calls the I/O manager.
 */
package ntio.kernel.verifier;
