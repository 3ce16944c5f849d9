package ntio.kernel.loader;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import ntio.ddk.DriverEntry;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.PoolOwner;

/**
 * One mapped driver image: an entry of the loaded-module list ({@code KLDR_DATA_TABLE_ENTRY}).
 * Made by {@link DriverLoader#map}, ended by {@link DriverLoader#unmap}.
 *
 * <p>While mapped it holds the image's class loader, and through it the image's classes; that
 * loader is the only path from the kernel to them. Unmapping drops it, so once the driver objects
 * made from the image are gone nothing the kernel holds reaches the image's code and the loader can
 * be collected ({@link #unloadedLoaderReference()} proves it).
 *
 * <p>Thread-safe. Everything but the loader is fixed at map time.
 */
public final class LoadedImage {

  /**
   * What {@link #newEntryPoint()} produced.
   *
   * @param status {@code STATUS_SUCCESS} with the entry point; {@code STATUS_DLL_INIT_FAILED} when
   *     the entry class's static initializer or constructor threw ({@code thrown} says what);
   *     {@code STATUS_INVALID_IMAGE_FORMAT} or {@code STATUS_DRIVER_ENTRYPOINT_NOT_FOUND} when the
   *     class does not define or link
   * @param driverEntry the new entry point; null unless the status is success
   * @param thrown what the driver's own code threw (the cause, unwrapped from {@link
   *     ExceptionInInitializerError} or {@link InvocationTargetException}); null otherwise
   * @param detail what went wrong, for logs and crash reports; empty on success
   */
  public record EntryPoint(NtStatus status, DriverEntry driverEntry, Throwable thrown,
      String detail) {}

  private final String ntPath;
  private final String key;
  private final Path hostFile;
  private final String serviceName;
  private final String sha256;
  private final long size;
  private final boolean wdm;
  private final String entryClassName;
  private final PoolOwner poolOwner;
  private final String signer;
  private final WeakReference<ClassLoader> loaderReference;

  private final Object lock = new Object();

  /** The image's classes. Set at map time; null from the unmap on, never set again. */
  @GuardedBy("lock")
  private ImageClassLoader loader;

  LoadedImage(String ntPath, Path hostFile, String serviceName, String sha256, long size,
      boolean wdm, String entryClassName, PoolOwner poolOwner, ImageClassLoader loader,
      String signer) {
    this.ntPath = ntPath;
    this.key = ImagePaths.key(ntPath);
    this.hostFile = hostFile;
    this.serviceName = serviceName;
    this.sha256 = sha256;
    this.size = size;
    this.wdm = wdm;
    this.entryClassName = entryClassName;
    this.poolOwner = poolOwner;
    this.signer = signer;
    this.loaderReference = new WeakReference<>(loader);
    synchronized (lock) {
      this.loader = loader;
    }
  }

  /** The NT path it was mapped under, as spelled. Models {@code FullDllName} (full). */
  public String ntPath() {
    return ntPath;
  }

  /**
   * Who signed the image, as code integrity established when it was mapped: the signer's common
   * name, {@code "unsigned"}, {@code "invalid signature"} (let through only while code integrity
   * is not configured), or {@code "not checked"} (integrity checks off). No NT counterpart
   * ({@code signtool verify} shows it).
   */
  public String signer() {
    return signer;
  }

  /** The file name, such as {@code Echo.jar}. Models {@code BaseDllName} (full). */
  public String imageName() {
    return poolOwner.name();
  }

  /**
   * The host file it was read from, every link resolved. Models the image's file object (partial:
   * the file is not held open).
   */
  public Path hostFile() {
    return hostFile;
  }

  /** The service whose load mapped it. No NT counterpart (NT keeps it in the driver object). */
  public String serviceName() {
    return serviceName;
  }

  /**
   * The SHA-256 of the JAR's bytes, in lower-case hex. Models the image hash code integrity
   * computes (partial: nothing checks it yet).
   */
  public String sha256() {
    return sha256;
  }

  /** The JAR's size in bytes. Models {@code SizeOfImage} (full). */
  public long size() {
    return size;
  }

  /**
   * Whether the manifest says {@code Ntio-Wdm: true}: the PE header's {@code
   * IMAGE_DLLCHARACTERISTICS_WDM_DRIVER} bit. Without it the driver is legacy ({@code
   * DRVO_LEGACY_DRIVER}). Models the WDM bit of {@code DllCharacteristics} (full).
   */
  public boolean isWdm() {
    return wdm;
  }

  /**
   * The binary name of the entry class ({@code Ntio-Driver-Entry}). Models {@code EntryPoint}
   * (full).
   */
  public String entryClassName() {
    return entryClassName;
  }

  /**
   * Who the image's pool allocations are charged to: named after the file ({@code Echo.jar}),
   * equal only to itself, so each mapping is a new owner. Models the loader entry pool usage is
   * charged to (full).
   */
  public PoolOwner poolOwner() {
    return poolOwner;
  }

  /**
   * Whether it is still mapped (not yet passed to {@link DriverLoader#unmap}). Models the entry
   * being on {@code PsLoadedModuleList} (full).
   */
  public boolean isMapped() {
    synchronized (lock) {
      return loader != null;
    }
  }

  /**
   * A weak reference to the image's class loader, taken at map time. It is cleared once the
   * image is unmapped and nothing else holds the loader or any of its classes or their instances:
   * the proof that an unload leaked nothing. No NT counterpart (Driver Verifier's unload scan
   * answers the same question); see {@link UnloadProbe}.
   */
  public WeakReference<ClassLoader> unloadedLoaderReference() {
    return loaderReference;
  }

  /**
   * The class loader the image's code runs with as its thread's context class loader, or null
   * once the image is unmapped. No NT counterpart. Never given to driver code: a driver's own
   * code finds it as the context class loader, which it may not ask for (the image policy denies
   * {@code Thread.getContextClassLoader}), and which only JDK code that consults it uses.
   */
  public ClassLoader contextClassLoader() {
    synchronized (lock) {
      return loader;
    }
  }

  /**
   * Defines and initializes the entry class and instantiates it with its public no-argument
   * constructor. Models resolving {@code DriverInit} from the image's entry point (full); the
   * static initializer is NT's image relocation and import snapping having run (there is no
   * {@code DllMain} for drivers, so its failure has no NT status of its own).
   *
   * <p>Runs driver code (the static initializer once, the constructor every time), so it must be
   * called with no kernel lock held. What that code throws is reported, never interpreted: a
   * driver faulting while loading is a bug check the I/O manager raises.
   *
   * @throws IllegalStateException if the image is unmapped (an ntio bug)
   */
  public EntryPoint newEntryPoint() {
    return newEntryPoint(false);
  }

  /**
   * As {@link #newEntryPoint()}; with {@code thunkPoolCalls}, every class of the image defined from
   * now on passes its call site to its pool allocations, as Driver Verifier thunks a verified
   * image's imports when it loads ({@link PoolCallThunks}).
   */
  public EntryPoint newEntryPoint(boolean thunkPoolCalls) {
    ClassLoader classes;
    synchronized (lock) {
      if (loader == null) {
        throw new IllegalStateException("image " + ntPath + " (" + poolOwner
            + ") is unmapped; its entry point cannot be created");
      }
      classes = loader;
      if (thunkPoolCalls) {
        loader.redirectPoolCalls();
      }
    }
    Constructor<? extends DriverEntry> constructor;
    try {
      Class<?> entry = Class.forName(entryClassName, false, classes);
      if (!DriverEntry.class.isAssignableFrom(entry)) {
        return failed(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
            entryClassName + " does not implement " + DriverEntry.class.getName());
      }
      constructor = entry.asSubclass(DriverEntry.class).getConstructor();
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return failed(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, e.toString());
    } catch (ClassFormatError e) {
      return failed(NtStatus.STATUS_INVALID_IMAGE_FORMAT, e.toString());
    } catch (LinkageError e) {
      return failed(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, e.toString());
    }
    // The static initializer and the constructor are driver code: they run with the image's
    // loader as context class loader, as every other call into the driver does.
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(classes);
    try {
      return new EntryPoint(NtStatus.STATUS_SUCCESS, constructor.newInstance(), null, "");
    } catch (InvocationTargetException e) {
      return threw(causeOf(e), "the constructor of " + entryClassName + " threw");
    } catch (ExceptionInInitializerError e) {
      return threw(causeOf(e), "the static initializer of " + entryClassName + " threw");
    } catch (InstantiationException | IllegalAccessException e) {
      return failed(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, e.toString());
    } catch (VerifyError | ClassFormatError e) {
      // Linking the class, before any of its code ran.
      return failed(NtStatus.STATUS_INVALID_IMAGE_FORMAT, e.toString());
    } catch (LinkageError e) {
      return failed(NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, e.toString());
    } catch (Error e) {
      // An Error is not wrapped in ExceptionInInitializerError: the initializer threw it.
      return threw(e, "the static initializer of " + entryClassName + " threw");
    } finally {
      thread.setContextClassLoader(context);
    }
  }

  /** The key of the loaded-image list: the NT path upcased. */
  String key() {
    return key;
  }

  /**
   * Drops the class loader and empties it. Models the unmap of {@code MmUnloadSystemImage}.
   *
   * @return the class loader this call released, or null if the image was unmapped already
   */
  ClassLoader release() {
    ImageClassLoader released;
    synchronized (lock) {
      released = loader;
      loader = null;
    }
    if (released != null) {
      released.close();
    }
    return released;
  }

  private static Throwable causeOf(Throwable wrapper) {
    return wrapper.getCause() != null ? wrapper.getCause() : wrapper;
  }

  private static EntryPoint failed(NtStatus status, String detail) {
    return new EntryPoint(status, null, null, detail);
  }

  private static EntryPoint threw(Throwable thrown, String detail) {
    return new EntryPoint(NtStatus.STATUS_DLL_INIT_FAILED, null, thrown, detail + ": " + thrown);
  }

  /** The owner, NT path, service and whether it is unmapped. No NT counterpart. */
  @Override
  public String toString() {
    return poolOwner + " " + ntPath + " for " + serviceName + (isMapped() ? "" : " (unmapped)");
  }
}
