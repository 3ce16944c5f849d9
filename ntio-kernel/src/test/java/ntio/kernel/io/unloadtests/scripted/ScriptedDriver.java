package ntio.kernel.io.unloadtests.scripted;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The unload tests' driver image entry point: a legacy driver whose DriverEntry does what
 * {@code <RegistryPath>\Parameters} says (see {@link ScriptedNames}) and which reports what it saw
 * under {@code <RegistryPath>\Observed}. One load is one {@link ScriptedLoad}.
 */
public final class ScriptedDriver implements DriverEntry {

  /** Called by the loader, once per load of the image. */
  public ScriptedDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return new ScriptedLoad(driver, new Script(driver.services(), registryPath.text())).start();
  }
}
