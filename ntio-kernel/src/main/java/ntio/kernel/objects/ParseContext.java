package ntio.kernel.objects;

/**
 * Type-specific information an open carries to a parse procedure, such as the I/O manager's open
 * packet or the configuration manager's create options. Models the {@code ParseContext} argument of
 * {@code ObOpenObjectByName}.
 */
public interface ParseContext {}
