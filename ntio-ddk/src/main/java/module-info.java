/**
 * The driver development kit: what a driver image compiles against, as the WDK headers are to NT.
 * Interfaces, value types and what {@code wdm.h} itself defines as structs and inline routines
 * ({@code IoStackLocation}, {@code AbstractIrp}, {@code DriverDispatchTable}, {@code
 * AbstractPoolBlock}: written once for the kernel and the test kit); it depends on nothing but
 * {@code java.base}, and a driver image's class loader sees this module, {@code ntio.framework} and {@code java.*} — nothing of the kernel.
 */
module ntio.ddk {
  exports ntio.ddk;
}
