/**
 * The Leaky driver ({@code Leaky.jar}): a driver with a deliberate bug, for the verifier to catch.
 *
 * <p>Its DriverEntry allocates pool and then fails without freeing it. Because the I/O manager
 * never calls DriverUnload after a failed DriverEntry, nothing will ever free that block: it is
 * leaked when the image is unmapped, and the verifier's unload scan must name it (tag
 * {@code Leak}, 64 bytes, non-paged, charged to this driver).
 */
package ntio.drivers.leaky;
