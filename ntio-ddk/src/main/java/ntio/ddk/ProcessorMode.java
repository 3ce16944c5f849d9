package ntio.ddk;

/**
 * The mode a request came from. Models {@code KPROCESSOR_MODE} (full): {@code KernelMode} callers
 * (drivers, the kernel itself) are trusted; {@code UserMode} callers have their arguments captured
 * and validated and their privileges checked.
 */
public enum ProcessorMode {
  /** {@code KernelMode}: trusted; privilege and access checks pass. */
  KERNEL,
  /** {@code UserMode}: untrusted; arguments are probed, privileges and access are checked. */
  USER
}
