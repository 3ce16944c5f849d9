package ntio.kernel.loader.testdrivers;

/** A public class with a public constructor that is no DriverEntry. */
public class NotADriver {

  /** Does nothing. */
  public NotADriver() {}

  @Override
  public String toString() {
    return "not a driver";
  }
}
