package ntio.kernel.ke;

/**
 * Who calls a dispatcher routine, as the routine's checks need to know: the driver a bug check
 * names, and whether Driver Verifier's IRQL checking (flag 0x2, "Force IRQL checking") is on for
 * the calling image, so that its thunks raise the verifier's own 0xC4 subcodes in place of the
 * kernel's codes. One per image's import table, made once: no call allocates one.
 *
 * @param driver the service name of the calling driver; null for the kernel itself
 * @param verifierChecksIrql whether the verifier's IRQL checking is on for the calling image
 */
public record KeCaller(String driver, boolean verifierChecksIrql) {

  /** The kernel's own calls: no driver to name, no verifier. */
  public static final KeCaller KERNEL = new KeCaller(null, false);
}
