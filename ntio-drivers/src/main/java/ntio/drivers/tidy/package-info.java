/**
 * The Tidy driver ({@code Tidy.jar}): the Leaky story told again with the framework, and this
 * time clean on every path.
 *
 * <p>Leaky's DriverEntry allocates pool and fails without freeing it, because the I/O manager never
 * calls DriverUnload after a failed DriverEntry. Tidy does the same work — and more: a trace
 * provider, a global buffer, a control device {@code \Device\Tidy} with a queue and the link
 * {@code \??\Tidy} — and fails the same way when its service's {@code Parameters\FailEntry} DWORD
 * is non-zero. Yet it frees nothing by hand: WdfDriverCreate comes first, everything afterwards is
 * parented to the WDFDRIVER, and the framework deletes that tree when DriverEntry fails, exactly as
 * it does at unload. Global cleanup (the trace) sits in the WDFDRIVER's cleanup callback, which
 * runs on both paths; EvtDriverUnload, which runs only at unload, just says goodbye (L6–L9).
 *
 * <p>Every creation call's failure is DriverEntry's status, so a fault-injection sweep over its
 * allocations sees it either fail cleanly or load.
 */
package ntio.drivers.tidy;
