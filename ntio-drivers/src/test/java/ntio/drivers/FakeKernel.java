package ntio.drivers;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceObjectExtension;
import ntio.ddk.FileObject;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * Just enough of a kernel to run a driver's dispatch routines on {@link FakeIrp}s: devices that
 * carry an extension and the device they are attached to, file objects, and kernel services whose
 * {@code completeRequest} checks the rules the real one bug-checks on (completing twice, completing
 * with {@code STATUS_PENDING}) and records the order of completions, and whose {@code callDriver}
 * records what was sent down. Any other service is unsupported.
 */
public final class FakeKernel {

  private final List<Irp> completed = new CopyOnWriteArrayList<>();
  private final List<Irp> sentDown = new CopyOnWriteArrayList<>();
  private volatile Consumer<Irp> beforeCompletion = irp -> {};
  private volatile NtStatus lowerAnswer = NtStatus.STATUS_PENDING;
  private final KernelServices services = proxy(KernelServices.class, "services", this::service);

  /** The kernel services a driver under test is given. */
  public KernelServices services() {
    return services;
  }

  /** Runs {@code check} on the completing thread at the start of every {@code completeRequest}. */
  public void beforeEachCompletion(Consumer<Irp> check) {
    this.beforeCompletion = check;
  }

  /** What {@code callDriver} returns: {@code STATUS_PENDING} unless set. */
  public void answerCallDriverWith(NtStatus status) {
    this.lowerAnswer = status;
  }

  /** The requests completed so far, in the order {@code completeRequest} was called. */
  public List<Irp> completed() {
    return List.copyOf(completed);
  }

  /** The requests passed to {@code callDriver} so far. */
  public List<Irp> sentDown() {
    return List.copyOf(sentDown);
  }

  /** A device whose {@code DeviceExtension} is {@code extension}, attached to nothing. */
  public DeviceObject device(String name, Object extension) {
    return device(name, extension, null);
  }

  /** A device whose {@code DeviceExtension} is {@code extension}, attached to {@code lower}. */
  public DeviceObject device(String name, Object extension, DeviceObject lower) {
    DeviceObjectExtension devobj =
        proxy(DeviceObjectExtension.class, name + " extension", (method, args) -> switch (method) {
          case "attachedTo" -> lower;
          default -> throw new UnsupportedOperationException(method);
        });
    return proxy(DeviceObject.class, name, (method, args) -> switch (method) {
      case "deviceExtension" -> args == null
          ? extension : ((Class<?>) args[0]).cast(extension);
      case "deviceObjectExtension" -> devobj;
      case "deviceName" -> Optional.of(name);
      default -> throw new UnsupportedOperationException(method);
    });
  }

  /** A file object: an open, told apart from others by identity. */
  public static FileObject file(String name) {
    return new FakeFile(name);
  }

  private Object service(String method, Object[] args) {
    switch (method) {
      case "completeRequest" -> {
        Irp irp = (Irp) args[0];
        if (irp.ioStatus().status().equals(NtStatus.STATUS_PENDING)) {
          throw new AssertionError(irp + " completed with STATUS_PENDING (bug check 0xC9)");
        }
        beforeCompletion.accept(irp);
        if (((FakeIrp) irp).recordCompletion() > 0) {
          throw new AssertionError(irp + " completed twice (bug check 0x44)");
        }
        completed.add(irp);
        return null;
      }
      case "callDriver" -> {
        sentDown.add((Irp) args[1]);
        return lowerAnswer;
      }
      default -> throw new UnsupportedOperationException(method);
    }
  }

  private interface Handler {
    Object handle(String method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, String name, Handler handler) {
    InvocationHandler invocation = (self, method, args) -> switch (method.getName()) {
      case "toString" -> name;
      case "hashCode" -> System.identityHashCode(self);
      case "equals" -> self == args[0];
      default -> handler.handle(method.getName(), args);
    };
    return type.cast(
        Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, invocation));
  }

  private static final class FakeFile implements FileObject {
    private final String name;
    private volatile Object fsContext;
    private volatile Object fsContext2;

    FakeFile(String name) {
      this.name = name;
    }

    @Override
    public DeviceObject deviceObject() {
      return null;
    }

    @Override
    public UnicodeString fileName() {
      return UnicodeString.of(name);
    }

    @Override
    public int flags() {
      return 0;
    }

    @Override
    public Object fsContext() {
      return fsContext;
    }

    @Override
    public void setFsContext(Object context) {
      fsContext = context;
    }

    @Override
    public Object fsContext2() {
      return fsContext2;
    }

    @Override
    public void setFsContext2(Object context) {
      fsContext2 = context;
    }

    @Override
    public String toString() {
      return "FakeFile[" + name + "]";
    }
  }
}
