package ntio.kernel.io.loadtests.frameworkgap;

import ntio.ddk.NtStatus;

/** Stands in, in the source, for the framework class the test's image names instead. */
public final class Stand {

  private Stand() {}

  /** Success. */
  public static NtStatus status() {
    return NtStatus.STATUS_SUCCESS;
  }
}
