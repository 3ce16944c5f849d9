/**
 * The Null driver ({@code Null.jar}): {@code \Device\Null}, where reads end at once and writes
 * succeed and vanish, as NT's {@code null.sys}.
 *
 * <p>It is the smallest complete legacy driver: one device created in DriverEntry, a dispatch
 * routine per request it understands (every other major function keeps the I/O manager's default,
 * which fails with {@code STATUS_INVALID_DEVICE_REQUEST}), and a DriverUnload that deletes what
 * DriverEntry created. The package is named {@code nul} because {@code null} is a Java keyword.
 */
package ntio.drivers.nul;
