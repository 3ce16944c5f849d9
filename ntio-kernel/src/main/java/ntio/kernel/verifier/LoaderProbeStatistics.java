package ntio.kernel.verifier;

/**
 * What the verifier's class-loader probes (DV8) have done since boot. No NT counterpart.
 *
 * @param probes images whose loader a probe was started for (verified images unmapped)
 * @param provenUnreachable probes that saw the loader collected
 * @param stillReachable probes that found the loader reachable after every collection (each one a
 *     {@link Verifier#LOADER_REACHABLE} finding)
 * @param abandoned probes given up without an answer: the System workers were shutting down, or
 *     the probe was interrupted
 * @param batches probe runs; images unmapped close together share one
 * @param collections {@code System.gc()} calls made by those runs
 */
public record LoaderProbeStatistics(long probes, long provenUnreachable, long stillReachable,
    long abandoned, long batches, long collections) {}
