package ntio.kernel.loader.testdrivers;

import ntio.ddk.NtStatus;

/** The helper {@link HelperUsingDriver} needs; an image must carry it. */
public final class DriverHelper {

  private DriverHelper() {}

  /** Success. */
  public static NtStatus answer() {
    return NtStatus.STATUS_SUCCESS;
  }
}
