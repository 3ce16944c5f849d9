/**
 * The driver development kit: what a driver image compiles against, as the WDK headers are to NT.
 * Interfaces and value types only; it depends on nothing but {@code java.base}, and a driver image's
 * class loader sees this module, {@code ntio.framework} and {@code java.*} — nothing of the kernel.
 */
module ntio.ddk {
  exports ntio.ddk;
}
