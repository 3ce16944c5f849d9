package ntio.ddk.testkit;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * The import table a {@link TestKernel} gives a driver: the request services ({@code
 * IoCompleteRequest}, {@code IoCallDriver}, {@code IoCancelIrp}), the thread's IRQL and the
 * cancel spin lock ({@link TestDispatcher}), pool charged to the driver, the
 * registry's open, query and close, and the verifier's break and {@code KeBugCheckEx}, recorded.
 * These are the public methods here, each with the signature of its {@link KernelServices} method;
 * the {@link KernelServices} a driver gets ({@link #of}) calls them, and answers every other routine
 * with {@link UnsupportedOperationException}: a test that reaches one needs the real kernel.
 */
final class TestServices {

  /** The services of {@code driver} (null for a bare test's) on {@code kernel}. */
  static KernelServices of(TestKernel kernel, String driver) {
    TestServices supported = new TestServices(kernel, driver);
    InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
      case "toString" -> "TestServices[" + (driver == null ? "test" : driver) + "]";
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> supported.call(proxy, method, args);
    };
    return (KernelServices) Proxy.newProxyInstance(KernelServices.class.getClassLoader(),
        new Class<?>[] {KernelServices.class}, handler);
  }

  /** Runs this class's method of the same signature; a default method as the interface wrote it. */
  private Object call(Object proxy, Method method, Object[] args) throws Throwable {
    Method own;
    try {
      own = TestServices.class.getMethod(method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException e) {
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      throw new UnsupportedOperationException(
          method.getName() + " is not in the DDK test kit; test it on a booted kernel");
    }
    try {
      return own.invoke(this, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private final TestKernel kernel;
  /** The driver these services were given to, named in its bug checks; null for a bare test's. */
  private final String driver;

  TestServices(TestKernel kernel, String driver) {
    this.kernel = kernel;
    this.driver = driver;
  }

  // Requests --------------------------------------------------------------------------------------

  public void completeRequest(Irp irp, int priorityBoost) {
    kernel.completeRequest(irp);
  }

  public NtStatus callDriver(DeviceObject device, Irp irp) {
    return kernel.callDriver(device, irp);
  }

  public boolean cancelIrp(Irp irp) {
    return ((TestIrp) irp).cancel(irp.currentStackLocation().deviceObject());
  }

  // IRQL and the cancel spin lock ---------------------------------------------------------------

  public Irql getCurrentIrql() {
    return kernel.dispatcher().current();
  }

  public Irql raiseIrql(Irql newIrql) {
    return kernel.dispatcher().raise(newIrql, driver);
  }

  public Irql raiseIrqlToDpcLevel() {
    return kernel.dispatcher().raise(Irql.DISPATCH_LEVEL, driver);
  }

  public void lowerIrql(Irql newIrql) {
    kernel.dispatcher().lower(newIrql, driver);
  }

  public Irql acquireCancelSpinLock() {
    return kernel.dispatcher().acquireCancelSpinLock(driver);
  }

  public void releaseCancelSpinLock(Irql oldIrql) {
    kernel.dispatcher().releaseCancelSpinLock(oldIrql, driver);
  }

  // Pool ------------------------------------------------------------------------------------------

  public PoolResult allocatePoolWithTag(PoolType type, long size, int tag) {
    if (kernel.isHalted()) {
      return new PoolResult(NtStatus.STATUS_SYSTEM_SHUTDOWN, null);
    }
    if (type == null || size < 0) {
      return new PoolResult(NtStatus.STATUS_INVALID_PARAMETER, null);
    }
    if (size > Integer.MAX_VALUE) {
      // More than the kit's pool (a Java array) holds, as a huge request exceeds real pool.
      return new PoolResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    return new PoolResult(NtStatus.STATUS_SUCCESS, kernel.allocatePool(driver, type, size, tag));
  }

  public void freePoolWithTag(PoolBlock block, int tag) {
    if (!(block instanceof TestPoolBlock mine) || mine.tag() != tag || !mine.markFreed()) {
      throw kernel.bugCheck(BugCheck.BAD_POOL_CALLER, 0, 0, 0, 0, driver,
          "ExFreePoolWithTag of " + block + " with tag " + tag + ": not a live block of that tag");
    }
    kernel.freed(mine);
  }

  // Registry --------------------------------------------------------------------------------------

  public HandleResult openKey(UnicodeString keyName, int desiredAccess) {
    return kernel.registry().openKey(keyName);
  }

  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    return kernel.registry().queryValueKey(key, valueName);
  }

  public NtStatus close(Handle handle) {
    return kernel.registry().close(handle);
  }

  // The verifier and bug checks -------------------------------------------------------------------

  public RuntimeException bugCheckEx(int code, long p1, long p2, long p3, long p4, String message) {
    throw kernel.bugCheck(code, p1, p2, p3, p4, driver, message);
  }

  /** Driver Verifier verifies no image of the kit. */
  public boolean isDriverVerifying(DriverObject driver) {
    return false;
  }

  public void verifierBreak(String check, String message) {
    kernel.verifierBreak(driver, check, message);
  }
}
