package ntio.conformance.reactos;

import static ntio.conformance.reactos.KernelChecks.bounded;

import ntio.conformance.ConformanceHost;
import ntio.conformance.KernelResults;
import ntio.ddk.NtStatus;

/**
 * The user half every ported {@code kmtests/ntos_ke} test shares: kmtest's {@code
 * KmtLoadDriver}/{@code KmtRunKernelTest}/{@code KmtUnloadDriver} for one {@link KmtKeDriver}. It
 * installs the driver as {@code Kmtest-<suite>}, loads it (its DriverEntry runs the test body),
 * reads the checks back and unloads it.
 *
 * @param load the status of {@code NtLoadDriver}
 * @param results the kernel checks the body recorded
 */
record KmtKeRun(NtStatus load, KernelResults results) {

  /** Runs {@code driver}'s test body on {@code host}, whose checks are recorded under {@code suite}. */
  static KmtKeRun run(ConformanceHost host, String suite, Class<? extends KmtKeDriver> driver) {
    String service = "Kmtest-" + suite;
    host.installDriver(service, driver, KmtKeDriver.class, KmtBuffer.class, KmtChecks.class);
    NtStatus load = bounded("load " + service, () -> host.loadDriver(service));
    KernelResults results = KernelResults.read(host.connect("kmtest"), suite);
    if (load.isSuccess()) {
      bounded("unload " + service, () -> host.unloadDriver(service));
    }
    return new KmtKeRun(load, results);
  }
}
