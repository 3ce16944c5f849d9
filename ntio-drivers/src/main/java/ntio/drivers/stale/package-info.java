/**
 * The Stale driver ({@code Stale.jar}): a driver with a deliberate bug, a use after free, for the
 * kernel to catch.
 *
 * <p>One control code allocates a block of pool with the caller's tag and size; another frees
 * it and then reads it, as a driver that kept a pointer past its free would. The read is bug
 * check 0x50 (PAGE_FAULT_IN_NONPAGED_AREA) with the block's address, with or without the
 * verifier: freed pool is never readable in ntio.
 */
package ntio.drivers.stale;
