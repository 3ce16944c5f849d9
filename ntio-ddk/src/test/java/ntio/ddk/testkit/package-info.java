/**
 * The DDK test kit: honest in-memory implementations of the {@code ntio.ddk} interfaces a driver's
 * (or the framework's) unit test needs, so that a dispatch, cancel or completion routine runs
 * without a kernel. {@link ntio.ddk.testkit.TestIrp} is an IRP with real stack locations (the
 * DDK's {@link ntio.ddk.AbstractIrp}, as the kernel's IRP is), completed bottom-up as {@code
 * IoCompleteRequest} does; {@link ntio.ddk.testkit.TestKernel} gives the
 * services, devices, driver objects and file objects around it, and checks the rules the real
 * kernel bug-checks on. Published once, as ntio-ddk's test-jar.
 */
package ntio.ddk.testkit;
