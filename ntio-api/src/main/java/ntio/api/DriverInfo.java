package ntio.api;

/**
 * What driverquery shows of one driver.
 *
 * @param loadOrder the load sequence number, from 1, in the order initializations succeeded
 *     in this kernel; 0 while DriverEntry is still running, and for a builtin driver (no image).
 *     A host unloads in reverse of it.
 * @param signer who signed the driver's image, as code integrity found it at map time (the loaded
 *     image's signer); empty for a driver with no image (builtin)
 */
public record DriverInfo(String name, String service, String imagePath, int flags, int devices,
    int openReferences, boolean unloadPending, long loadOrder, String signer) {}
