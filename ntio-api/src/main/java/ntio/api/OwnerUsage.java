package ntio.api;

import ntio.ddk.PoolType;
/**
 * Pool usage charged to one owner name in one pool type. Each counter is exact; counters read while
 * allocations go on need not be from the same instant.
 *
 * @param owner the owner's name, for example {@code Leaky.jar}
 * @param type the pool type
 * @param allocations allocations charged to this owner
 * @param frees of those, how many were freed
 * @param outstanding allocated and not freed
 * @param outstandingBytes bytes allocated and not freed (requested sizes)
 */
public record OwnerUsage(
    String owner,
    PoolType type,
    long allocations,
    long frees,
    long outstanding,
    long outstandingBytes) {}
