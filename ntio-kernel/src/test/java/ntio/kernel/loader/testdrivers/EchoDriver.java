package ntio.kernel.loader.testdrivers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A well-formed driver that uses a nested class, an anonymous class and a lambda. */
public class EchoDriver implements DriverEntry {

  private final List<String> calls = new ArrayList<>();

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    Counter counter = new Counter();
    Supplier<NtStatus> anonymous = new Supplier<>() {
      @Override
      public NtStatus get() {
        counter.increment();
        return NtStatus.STATUS_SUCCESS;
      }
    };
    Supplier<String> lambda = () -> "calls " + counter.value();
    NtStatus status = anonymous.get();
    calls.add(lambda.get());
    return status;
  }

  /** Counts calls. */
  static final class Counter {
    private int value;

    void increment() {
      value++;
    }

    int value() {
      return value;
    }
  }
}
