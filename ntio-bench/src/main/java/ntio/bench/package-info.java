/**
 * JMH benchmarks of ntio's driver life cycle.
 *
 * <p>{@link ntio.bench.LoadUnloadCycle} measures the warm steady state of one
 * NtLoadDriver&nbsp;→ NtCreateFile&nbsp;→ NtClose&nbsp;→ NtUnloadDriver cycle of the Null driver
 * and of the floor every JVM plugin host pays (a fresh class loader over the same JAR, one class
 * defined, instantiated and called); {@link ntio.bench.FirstCycle} measures the same two cycles
 * once, cold, in fresh JVMs. {@code docs/performance.md} publishes the figures and the command that
 * produced them.
 */
package ntio.bench;
