package ntio.kernel.io.devicetests.lab;

import java.util.List;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The lab driver's entry point: a scripted driver whose every Io call is written by the test as a
 * line of {@link LabScript}, run inside DriverEntry, a dispatch routine or DriverUnload, and whose
 * every observation goes to {@code <RegistryPath>\Observed}.
 *
 * <p>Parameters (under {@code <RegistryPath>\Parameters}):
 *
 * <ul>
 *   <li>{@code Entry} ({@code REG_MULTI_SZ}): the script DriverEntry runs;
 *   <li>{@code Unload} ({@code REG_MULTI_SZ}): the script DriverUnload runs; when absent it releases
 *       every reference the script holds and detaches and deletes every device of the driver;
 *   <li>{@code SetUnload} ({@code REG_DWORD}, default 1): 0 leaves DriverUnload null;
 *   <li>{@code EntryStatus} ({@code REG_DWORD}, default 0): what DriverEntry returns.
 * </ul>
 *
 * <p>It handles IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_DEVICE_CONTROL and IRP_MJ_SHUTDOWN (every other
 * entry keeps the I/O manager's default): each is counted as {@code <var>.<IRP_MJ_name>}; a device
 * control with {@link #IOCTL_LAB_RUN} runs its input as a script.
 */
public final class LabDriver implements DriverEntry {

  /**
   * Runs the input (UTF-8 lines separated by {@code ;} or newlines) as a script:
   * {@code CTL_CODE(FILE_DEVICE_UNKNOWN, 0xA00, METHOD_BUFFERED, FILE_ANY_ACCESS)}.
   */
  public static final int IOCTL_LAB_RUN = (0x22 << 16) | (0xA00 << 2);

  private static final List<Integer> HANDLED = List.of(MajorFunctions.IRP_MJ_CREATE,
      MajorFunctions.IRP_MJ_CLEANUP, MajorFunctions.IRP_MJ_CLOSE, MajorFunctions.IRP_MJ_DEVICE_CONTROL,
      MajorFunctions.IRP_MJ_SHUTDOWN);

  /** Called by the loader, once per load of the image. */
  public LabDriver() {}

  /** The classes an image of the lab driver carries besides this one (for the test that builds it). */
  public static List<Class<?>> helperClasses() {
    return List.of(LabScript.class, Observations.class, Parameters.class);
  }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    String key = registryPath.text();
    Observations observed = new Observations(driver.services(), key + "\\Observed");
    Parameters parameters = new Parameters(driver.services(), key + "\\Parameters");
    LabScript script = new LabScript(driver, observed);
    observed.put("Entry.Flags", driver.flags());
    observed.put("Entry.DeviceObject", script.describe(driver.deviceObject()));
    DispatchRoutine dispatch = script::dispatch;
    for (int major : HANDLED) {
      driver.setMajorFunction(major, dispatch);
    }
    if (parameters.dword("SetUnload", 1) != 0) {
      driver.setDriverUnload(unloading -> script.unload(parameters.lines("Unload")));
    }
    if (!script.runRecordingErrors(parameters.lines("Entry"))) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    observed.put("Entry.End.Flags", driver.flags());
    return NtStatus.of(parameters.dword("EntryStatus", 0));
  }
}
