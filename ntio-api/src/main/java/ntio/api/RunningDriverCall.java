package ntio.api;

/**
 * A DriverEntry or DriverUnload running now, as a host names it when driver code outlives its
 * shutdown's grace period.
 *
 * @param driver the driver object's name ({@code \Driver\Echo})
 * @param service the service that loaded it
 * @param routine {@code DriverEntry} or {@code DriverUnload}
 * @param describedWithStack the call and its thread's stack when it was asked for, for a log or a
 *     report
 */
public record RunningDriverCall(String driver, String service, String routine, String describedWithStack) {}
