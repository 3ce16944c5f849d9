/**
 * The kernel's dispatcher core, NT's {@code Ke}: each thread's IRQL and the rules that ride on it
 * (raise, lower, spin locks, the cancel spin lock), deferred procedure calls and the processors'
 * DPC queues they run on. It stands on the executive (bug checks) and the DDK; the I/O manager,
 * the verifier and the framework's callers sit above it.
 *
 * <p>One instance per kernel ({@link ntio.kernel.ke.Irqls}); a thread's IRQL lives in that
 * instance's per-thread state, never in a static, so two kernels in one JVM never see each
 * other's levels.
 */
package ntio.kernel.ke;
