package ntio.kernel.loader.denied;

import java.util.function.IntConsumer;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** Reaches System.exit through a method reference: an invokedynamic with a method handle constant. */
public class MethodReferenceExitDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    IntConsumer exit = System::exit;
    exit.accept(1);
    return NtStatus.STATUS_SUCCESS;
  }
}
