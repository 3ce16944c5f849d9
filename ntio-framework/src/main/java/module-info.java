/**
 * The framework a driver may bind to: ntio's model of KMDF. It is itself only a client of the DDK —
 * everything it does for a driver goes through that driver's own {@link ntio.ddk.KernelServices},
 * so pool it allocates is charged to the driver, Driver Verifier sees it, and nothing here can
 * reach the kernel's internals. A driver image's class loader sees this module next to {@code
 * ntio.ddk}; its classes are shared by every image, so all of its state lives in per-driver
 * instances, never in statics.
 *
 * <p>Error Prone's annotations are compile-time only ({@code requires static}).
 */
module ntio.framework {
  requires transitive ntio.ddk;
  requires static com.google.errorprone.annotations;

  exports ntio.framework;
}
