/**
 * One NT kernel as a Java instance: {@link ntio.kernel.Kernel} boots the components in NT's order
 * on a state directory, and {@link ntio.kernel.SystemServices} is the gate every system service
 * passes. Components live in the sub-packages, one per executive component, each using only those
 * below it: {@code security}; {@code objects}; {@code executive}; {@code registry} and
 * {@code process}; {@code io}. The rule is checked by {@code ArchitectureTest}.
 */
package ntio.kernel;
