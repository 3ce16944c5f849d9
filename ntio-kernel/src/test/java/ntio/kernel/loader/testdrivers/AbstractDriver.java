package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;

/** An abstract class cannot be an entry point, even though it is a DriverEntry. */
public abstract class AbstractDriver implements DriverEntry {}
