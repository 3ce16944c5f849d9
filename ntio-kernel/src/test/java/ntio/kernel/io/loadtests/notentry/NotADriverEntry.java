package ntio.kernel.io.loadtests.notentry;

/**
 * The class a broken image's manifest names as its entry point: public, concrete, with a public
 * no-argument constructor, but not a {@code ntio.ddk.DriverEntry}.
 */
public final class NotADriverEntry {

  /** A public constructor, so that only the missing interface is wrong. */
  public NotADriverEntry() {}

  /** Something to call; not a driver entry point. */
  public String describe() {
    return "not a driver";
  }
}
