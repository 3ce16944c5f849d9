package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.kernel.Kernel;

/** The services of a builtin driver: a real image's import table minus the image, for tests of kernel routines. */
final class BuiltinServices {

  private BuiltinServices() {}

  /** Creates the builtin driver {@code name} (such as {@code \Driver\Deferred}) and returns its services. */
  static KernelServices of(Kernel kernel, String name) {
    AtomicReference<DriverObject> created = new AtomicReference<>();
    assertThat(kernel.io().createDriver(name, (d, path) -> {
      created.set(d);
      return NtStatus.STATUS_SUCCESS;
    }).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return created.get().services();
  }
}
