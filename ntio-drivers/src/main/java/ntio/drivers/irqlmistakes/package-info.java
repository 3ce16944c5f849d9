/**
 * The IrqlMistakes driver ({@code IrqlMistakes.jar}): the classic IRQL mistakes of a Windows
 * driver, one control code each, for a learner to trigger and read the bug check ntio gives.
 *
 * <p>Every control code of {@link ntio.drivers.irqlmistakes.IrqlMistakesIoctl} makes one mistake
 * on purpose, on the thread that sends it: waiting at DISPATCH_LEVEL, allocating paged pool under
 * a spin lock, touching paged data or running paged code at DISPATCH_LEVEL, lowering or raising
 * the IRQL the wrong way, releasing a spin lock twice, keeping the cancel spin lock, calling the
 * registry under a spin lock, returning from a work item at DISPATCH_LEVEL. Each is a bug check
 * that names the driver and the source line of {@link ntio.drivers.irqlmistakes.IrqlMistakes}
 * that made it. docs/irql.md walks through them.
 */
package ntio.drivers.irqlmistakes;
