package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.leaktests.KernelPackageLeaker;
import org.junit.jupiter.api.Test;

/**
 * Driver Verifier's pool thunks (DV4's allocation site): a verified image's {@code
 * allocatePoolWithTag} call passes the very site a stack trace of that call would name, so pool
 * tracking needs no stack; classes that make no pool call are defined as they are.
 */
class PoolCallThunksTest {

  private static final String LOADER = "image:KLeak.jar";

  /** What the fake kernel saw: the site a thunked call passed, or the stack frame of a plain one. */
  private final List<String> sites = new ArrayList<>();

  @Test
  void DV4_aThunkedCallPassesTheSiteTheStackWouldHaveNamed() throws Exception {
    byte[] original = bytesOf(KernelPackageLeaker.class);

    run(PoolCallThunks.redirect(original, LOADER));
    run(original);

    assertThat(sites).hasSize(2);
    assertThat(sites.get(0)).startsWith(
        "thunked " + LOADER + "//" + KernelPackageLeaker.class.getName() + ".allocate(KernelPackageLeaker.java:");
    assertThat(sites.get(1)).startsWith("stack ");
    assertThat(sites.get(0).substring("thunked ".length()))
        .isEqualTo(sites.get(1).substring("stack ".length()));
  }

  @Test
  void aClassThatMakesNoPoolCallIsDefinedAsItIs() throws IOException {
    byte[] original = bytesOf(PoolCallThunksTest.class);

    assertThat(PoolCallThunks.redirect(original, LOADER)).isSameAs(original);
  }

  /** Defines {@code bytes} in a loader named as an image's and runs its DriverEntry. */
  private void run(byte[] bytes) throws Exception {
    ClassLoader image = new ClassLoader(LOADER, getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(KernelPackageLeaker.class.getName())) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : defineClass(name, bytes, 0, bytes.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    };
    DriverEntry entry = (DriverEntry) image.loadClass(KernelPackageLeaker.class.getName())
        .getConstructor().newInstance();
    KernelServices services = proxy(KernelServices.class, (self, method, args) -> {
      if (method.getName().equals("allocatePoolWithTag") && args.length == 4) {
        sites.add("thunked " + args[3]);
      } else if (method.getName().equals("allocatePoolWithTag")) {
        sites.add("stack " + Arrays.stream(new Throwable().getStackTrace())
            .filter(frame -> LOADER.equals(frame.getClassLoaderName()))
            .findFirst().orElseThrow().toString());
      } else {
        throw new UnsupportedOperationException(method.getName());
      }
      return new PoolResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    });
    DriverObject driver = proxy(DriverObject.class, (self, method, args) -> {
      if (method.getName().equals("services")) {
        return services;
      }
      throw new UnsupportedOperationException(method.getName());
    });

    assertThat(entry.driverEntry(driver, UnicodeString.of("\\Registry\\Machine\\KLeak")))
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static byte[] bytesOf(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }
}
