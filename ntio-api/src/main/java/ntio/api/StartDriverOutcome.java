package ntio.api;

import ntio.ddk.NtStatus;

/**
 * What happened to one boot, system or auto start service when a host loaded its start drivers,
 * as {@code IopInitializeBootDrivers} and {@code IopInitializeSystemDrivers} load them (io/iomgr's
 * driver.c).
 *
 * @param service the service name as the registry spells it
 * @param start its Start value (0, 1 or 2)
 * @param startName the Start value's name, as {@code sc qc} prints it: BOOT_START, SYSTEM_START,
 *     AUTO_START
 * @param group its Group, or empty when it has none
 * @param status what NtLoadDriver returned; {@code STATUS_SYSTEM_SHUTDOWN} when a bug check halted
 *     the kernel during or before this load
 * @param detail the bug check that halted the kernel, described; else why the load failed
 *     ({@link DriverLoadResult#detail()}); empty on success
 * @param loaded whether the driver is loaded: NT_SUCCESS, or already loaded before this pass
 */
public record StartDriverOutcome(String service, int start, String startName, String group,
    NtStatus status, String detail, boolean loaded) {}
