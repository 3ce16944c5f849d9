package ntio.kernel.loader;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ntio.ddk.DriverEntry;
import ntio.ddk.NtStatus;
import ntio.hostfs.FileTrust;

/**
 * The image loader of one kernel: maps driver JARs into isolated class loaders and keeps the
 * loaded-image list ({@code PsLoadedModuleList}). Models the driver-image part of {@code
 * MmLoadSystemImage} and {@code MmUnloadSystemImage}.
 *
 * <p>Thread-safe. Maps and unmaps are serialized (NT's {@code MmSystemLoadLock}); reading the list
 * waits only for a list update, never for a map in progress.
 */
public final class DriverLoader {

  /*
   * Implementation notes:
   *
   * map() does everything under systemLoadLock, as MmLoadSystemImage holds MmSystemLoadLock from
   * the already-loaded check to the insertion into the list: two maps of one key can never both
   * succeed, and a failed map leaves nothing behind for the next. No driver code runs under it —
   * mapping only reads bytes; classes are defined and initialized later, in
   * LoadedImage.newEntryPoint(), with no loader lock held.
   *
   * The order of the checks is the order of NT's: the list (already loaded), the name (host path),
   * the file (exists, policy, readable), the image format (ZIP, manifest, class files), and last
   * the imports and the entry point.
   */

  /** The largest JAR that is mapped; larger is {@code STATUS_INSUFFICIENT_RESOURCES}. */
  public static final long MAXIMUM_IMAGE_SIZE = LoaderLimits.DEFAULT_IMAGE_BYTES;

  /** The most one JAR's files may inflate to; more is {@code STATUS_INSUFFICIENT_RESOURCES}. */
  public static final long MAXIMUM_INFLATED_SIZE = LoaderLimits.DEFAULT_INFLATED_BYTES;

  private static final String CLASS_SUFFIX = ".class";

  /**
   * What {@link #map} did.
   *
   * @param status {@code STATUS_SUCCESS}, {@code STATUS_IMAGE_ALREADY_LOADED}, or why the image
   *     cannot be mapped
   * @param image the new image on success; the image already in the list for {@code
   *     STATUS_IMAGE_ALREADY_LOADED} (as {@code MmLoadSystemImage} returns the existing module);
   *     null otherwise
   * @param detail what went wrong, naming the offending entry or class; empty on success
   */
  public record MapResult(NtStatus status, LoadedImage image, String detail) {}

  private final Path systemRoot;
  private final ImagePolicy policy;
  private final ImageReclaim reclaim;
  private final CodeIntegrity codeIntegrity;
  private final long maximumImageSize;
  private final long maximumInflatedSize;
  private final long maximumEntrySize;
  private final ImportFilterLoader imports =
      new ImportFilterLoader(DriverEntry.class.getClassLoader());

  /** Serializes map and unmap: NT's {@code MmSystemLoadLock}. Taken before {@code listLock}. */
  private final Object systemLoadLock = new Object();

  /** Guards the list: NT's {@code PsLoadedModuleResource}. A leaf. */
  private final Object listLock = new Object();

  /** The loaded-image list by key (the NT path upcased), in mapping order. */
  @GuardedBy("listLock")
  private final Map<String, LoadedImage> loaded = new LinkedHashMap<>();

  /** How many images this loader has mapped, for telling pool owners apart. */
  @GuardedBy("systemLoadLock")
  private long mappings;

  /** How many checked images {@link #checked} keeps at most, whatever their size. */
  static final int CHECKED_IMAGE_CACHE_SIZE = 64;

  /**
   * Images already read and checked, by real host path, least recently used first: a load of an
   * unchanged file skips reading, hashing and checking it again, as NT reuses an image's section
   * after an unload. An entry is used only while the file's size, modification time and identity
   * are what they were when it was checked; any change means a fresh read. Bounded in entries and
   * in bytes ({@link LoaderLimits#checkedImageCacheBytes()}): what an unmapped image leaves here is
   * within the bound.
   */
  @GuardedBy("systemLoadLock")
  private final CheckedImageCache<CheckedImage> checked;

  /**
   * What checking an image established: its identity on disk when it was read, and what a mapping
   * needs. Holds bytes, never a class: nothing here keeps an unmapped image's classes alive.
   */
  private record CheckedImage(FileIdentity identity, URL location, String sha256, int size,
      boolean wdm, String entryClass, Map<String, byte[]> definable, Map<String, byte[]> files) {}

  /** The attributes that say a file is still the one that was checked. */
  private record FileIdentity(long size, FileTime modified, Object fileKey) {}

  /**
   * A loader for a kernel whose {@code \SystemRoot\} is {@code systemRoot}, with an empty list.
   * Models {@code MiInitializeLoadedModuleList} (partial: no boot images).
   *
   * @param policy where images may come from
   */
  public DriverLoader(Path systemRoot, ImagePolicy policy) {
    this(systemRoot, policy, ImageReclaim.never());
  }

  /**
   * A loader as {@link #DriverLoader(Path, ImagePolicy)} that tells {@code reclaim} of every
   * image it unmaps.
   */
  public DriverLoader(Path systemRoot, ImagePolicy policy, ImageReclaim reclaim) {
    this(systemRoot, policy, reclaim, CodeIntegrity.off(), LoaderLimits.DEFAULTS);
  }

  /**
   * A loader as {@link #DriverLoader(Path, ImagePolicy, ImageReclaim)} that lets {@code
   * codeIntegrity} decide, at every map, whether an image's signature lets it load.
   */
  public DriverLoader(Path systemRoot, ImagePolicy policy, ImageReclaim reclaim,
      CodeIntegrity codeIntegrity) {
    this(systemRoot, policy, reclaim, codeIntegrity, LoaderLimits.DEFAULTS);
  }

  DriverLoader(Path systemRoot, ImagePolicy policy, long maximumImageSize,
      long maximumInflatedSize) {
    this(systemRoot, policy, ImageReclaim.never(), CodeIntegrity.off(), new LoaderLimits(maximumImageSize,
        maximumInflatedSize, LoaderLimits.DEFAULT_ENTRY_BYTES,
        LoaderLimits.DEFAULT_CHECKED_IMAGE_CACHE_BYTES));
  }

  /**
   * A loader as {@link #DriverLoader(Path, ImagePolicy, ImageReclaim)} that spends at most what
   * {@code limits} allow on reading, inflating and keeping images.
   */
  public DriverLoader(Path systemRoot, ImagePolicy policy, ImageReclaim reclaim,
      LoaderLimits limits) {
    this(systemRoot, policy, reclaim, CodeIntegrity.off(), limits);
  }

  /**
   * A loader whose image signatures {@code codeIntegrity} judges and whose reading, inflating and
   * keeping of images {@code limits} bound.
   */
  public DriverLoader(Path systemRoot, ImagePolicy policy, ImageReclaim reclaim,
      CodeIntegrity codeIntegrity, LoaderLimits limits) {
    this.systemRoot = Objects.requireNonNull(systemRoot, "systemRoot");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.reclaim = Objects.requireNonNull(reclaim, "reclaim");
    this.codeIntegrity = Objects.requireNonNull(codeIntegrity, "codeIntegrity");
    Objects.requireNonNull(limits, "limits");
    this.maximumImageSize = limits.imageBytes();
    this.maximumInflatedSize = limits.inflatedBytes();
    this.maximumEntrySize = limits.entryBytes();
    this.checked = new CheckedImageCache<>(CHECKED_IMAGE_CACHE_SIZE,
        limits.checkedImageCacheBytes());
  }

  /** The host directory {@code \SystemRoot\} stands for. Models {@code NtSystemRoot} (full). */
  public Path systemRoot() {
    return systemRoot;
  }

  /** Where images may come from. No NT counterpart (code-integrity configuration). */
  public ImagePolicy policy() {
    return policy;
  }

  /**
   * Maps a driver image. Models {@code MmLoadSystemImage} for a driver (partial: no relocation,
   * no import snapping of other images, no load-image notifications).
   *
   * <p>In order: an image with the same key (its NT path without regard to case) in the list is
   * {@code STATUS_IMAGE_ALREADY_LOADED} and nothing is created (B6); a path that names no host file
   * gives the status of {@link ImagePaths#hostPath}; a missing file is {@code
   * STATUS_OBJECT_NAME_NOT_FOUND} (a missing directory {@code STATUS_OBJECT_PATH_NOT_FOUND}); a
   * file outside the {@link ImagePolicy} is {@code STATUS_DRIVER_BLOCKED}; an unreadable one {@code
   * STATUS_ACCESS_DENIED}; a directory, something that is not a whole JAR, no manifest, a bad
   * {@code Ntio-Wdm}, or a class file that is malformed, misnamed, too new for this JVM or in a
   * package reserved for the system is {@code STATUS_INVALID_IMAGE_FORMAT}; an import the image
   * neither carries nor may link against, and an entry class that is missing, not public, abstract,
   * not a {@link DriverEntry} or without a public no-argument constructor, is {@code
   * STATUS_DRIVER_ENTRYPOINT_NOT_FOUND}; a reference to a member or class the policy's deny list
   * names ({@link MemberPolicy}) is {@code STATUS_DRIVER_BLOCKED_CRITICAL}; last, an image whose
   * signature the {@link CodeIntegrity} mode refuses is {@code STATUS_INVALID_IMAGE_HASH}. No class
   * of the image is defined here.
   *
   * @implNote The image is read whole into memory; one over {@link #MAXIMUM_IMAGE_SIZE}, whose
   *     files inflate to more than {@link #MAXIMUM_INFLATED_SIZE}, or one of whose files inflates
   *     to more than {@link LoaderLimits#entryBytes()}, is {@code STATUS_INSUFFICIENT_RESOURCES},
   *     as an image too big for system space is in NT; sizes are checked before anything is
   *     inflated (see {@link LoaderLimits}). A host I/O
   *     error other than a missing or forbidden file is {@code STATUS_UNSUCCESSFUL}.
   * @param serviceName the service whose load maps it, recorded in the image
   * @param ntImagePath the image's NT path, as {@link ImagePaths#imagePath} made it
   */
  public MapResult map(String serviceName, String ntImagePath) {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(ntImagePath, "ntImagePath");
    String key = ImagePaths.key(ntImagePath);
    synchronized (systemLoadLock) {
      LoadedImage existing;
      synchronized (listLock) {
        existing = loaded.get(key);
      }
      if (existing != null) {
        return new MapResult(NtStatus.STATUS_IMAGE_ALREADY_LOADED, existing,
            ntImagePath + " is already loaded (mapped for service " + existing.serviceName() + ")");
      }
      LoadedImage image;
      try {
        image = mapLocked(serviceName, ntImagePath);
      } catch (BadImageException e) {
        return new MapResult(e.status(), null, e.getMessage());
      }
      synchronized (listLock) {
        loaded.put(key, image);
      }
      return new MapResult(NtStatus.STATUS_SUCCESS, image, "");
    }
  }

  /**
   * Unmaps an image: takes it out of the list, drops and empties its class loader. Models {@code
   * MmUnloadSystemImage} (full). The I/O manager calls it when the last driver object made from
   * the image is deleted.
   *
   * @throws IllegalStateException if the image is not mapped by this loader, for example because
   *     it was unmapped already (an ntio bug)
   */
  public void unmap(LoadedImage image) {
    Objects.requireNonNull(image, "image");
    synchronized (systemLoadLock) {
      synchronized (listLock) {
        if (loaded.get(image.key()) != image) {
          throw new IllegalStateException("image " + image.ntPath() + " (" + image.poolOwner()
              + ") is not mapped by this loader" + (image.isMapped() ? "" : ": already unmapped"));
        }
        loaded.remove(image.key());
      }
      ClassLoader released = image.release();
      if (released != null) {
        reclaim.unmapped(released);
      }
    }
  }

  /** The bytes the checked-image cache holds now; never more than its bound. For tests. */
  long checkedImageBytes() {
    synchronized (systemLoadLock) {
      return checked.retainedBytes();
    }
  }

  /** What decides whether an image's signature lets it load. No NT counterpart ({@code ci.dll}). */
  public CodeIntegrity codeIntegrity() {
    return codeIntegrity;
  }

  /** What asks the JVM to unload the classes of unmapped images. No NT counterpart. */
  public ImageReclaim reclaim() {
    return reclaim;
  }

  /**
   * The loaded images, in the order they were mapped: a snapshot. Models walking {@code
   * PsLoadedModuleList} (full), as {@code driverquery} does.
   */
  public List<LoadedImage> loadedImages() {
    synchronized (listLock) {
      return List.copyOf(loaded.values());
    }
  }

  @GuardedBy("systemLoadLock")
  private LoadedImage mapLocked(String serviceName, String ntImagePath) throws BadImageException {
    ImagePaths.HostPath host = ImagePaths.hostPath(ntImagePath, systemRoot);
    if (!host.status().isSuccess()) {
      throw new BadImageException(host.status(), ntImagePath + " names no host file");
    }
    OpenableFile openable = openable(host.file(), ntImagePath);
    Path file = openable.real();
    CheckedImage image = checkedLocked(file, openable.identity());
    String signer = codeIntegrity.check(ntImagePath, file, image.sha256(), image.files());
    String imageName = ImagePaths.baseName(ntImagePath);
    ImageClassLoader loader = new ImageClassLoader(imageName, imports, image.definable(),
        image.files(), image.location());
    mappings++;
    return new LoadedImage(ntImagePath, file, serviceName, image.sha256(), image.size(),
        image.wdm(), image.entryClass(), new ImageOwner(imageName, mappings), loader, signer);
  }

  /** The image at {@code file}, checked now or taken from the cache if the file is unchanged. */
  @GuardedBy("systemLoadLock")
  private CheckedImage checkedLocked(Path file, FileIdentity identity) throws BadImageException {
    CheckedImage cached = checked.get(file);
    if (cached != null && cached.identity().equals(identity)) {
      return cached;
    }
    checked.remove(file);
    byte[] bytes = read(file, maximumImageSize);
    Inspected inspected = inspect(bytes, maximumInflatedSize, maximumEntrySize, policy.members(),
        imports);
    JarImage jar = inspected.jar();
    DriverManifest manifest = inspected.manifest();
    Map<String, ClassFile> classes = inspected.classes();
    Map<String, byte[]> definable = new LinkedHashMap<>();
    for (ClassFile classFile : classes.values()) {
      definable.put(classFile.binaryName(), jar.files().get(classFile.name() + CLASS_SUFFIX));
    }
    // The identity read before the bytes: a file changed while it was read is read again next time.
    URL location;
    try {
      location = file.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException("host file " + file + " has no URL", e);
    }
    CheckedImage image = new CheckedImage(identity, location, sha256(bytes), bytes.length,
        manifest.wdm(), manifest.entryClass(), Map.copyOf(definable), Map.copyOf(jar.files()));
    // The files' bytes are what the entry holds: the definable map shares their arrays.
    checked.put(file, image, jar.inflatedBytes());
    return image;
  }

  /** What the image checks found in an image's bytes. */
  record Inspected(JarImage jar, DriverManifest manifest, Map<String, ClassFile> classes) {}

  /**
   * The image checks, in NT's order: the format (ZIP, manifest, class files), then the imports,
   * the deny list and the entry point. The one place they are made, for a map and for {@link
   * #check}.
   */
  static Inspected inspect(byte[] bytes, long maxInflated, long maxEntry,
      MemberPolicy members, ClassLoader imports) throws BadImageException {
    JarImage jar = JarImage.read(bytes, maxInflated, maxEntry);
    DriverManifest manifest = DriverManifest.read(jar);
    Map<String, ClassFile> classes = classFiles(jar);
    ImageImports.check(classes.values(), imports);
    members.check(classes.values(), imports);
    EntryPointCheck.check(manifest.entryClass(), classes, imports);
    return new Inspected(jar, manifest, classes);
  }

  /**
   * Checks a driver image file as {@link #map} checks it once it has found and allowed the file —
   * its format, its imports, the deny list {@code members}, its entry point — without mapping
   * anything or defining a class: what an installer runs before it writes a service key. No NT
   * counterpart (NT's installers check a driver's signature, not its loadability). The limits are
   * the defaults ({@link LoaderLimits#DEFAULTS}); where the file may be loaded from and its
   * signature are decided at load, by the loading kernel's policy.
   *
   * @return {@code STATUS_SUCCESS} with an empty detail, or the status and detail a load would
   *     fail with ({@code STATUS_OBJECT_NAME_NOT_FOUND} when the file cannot be read)
   */
  public static MapResult check(Path file, MemberPolicy members) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(members, "members");
    try {
      if (!Files.isRegularFile(file)) {
        throw new BadImageException(Files.exists(file) ? NtStatus.STATUS_INVALID_IMAGE_FORMAT
            : NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, file + " is not a file");
      }
      Path real;
      try {
        real = file.toRealPath();
      } catch (IOException e) {
        throw new BadImageException(statusOf(e), file + ": " + e);
      }
      byte[] bytes = read(real, LoaderLimits.DEFAULT_IMAGE_BYTES);
      inspect(bytes, LoaderLimits.DEFAULT_INFLATED_BYTES, LoaderLimits.DEFAULT_ENTRY_BYTES, members,
          new ImportFilterLoader(DriverEntry.class.getClassLoader()));
      return new MapResult(NtStatus.STATUS_SUCCESS, null, "");
    } catch (BadImageException e) {
      return new MapResult(e.status(), null, e.getMessage());
    }
  }

  /** An image file that exists, is allowed and is a regular file: its real path and identity. */
  private record OpenableFile(Path real, FileIdentity identity) {}

  /**
   * The real path of the image file, once it is known to exist and to be allowed, and its
   * identity. The path is resolved once and the file's attributes read once: a load of a cached
   * image makes no other host call.
   */
  private OpenableFile openable(Path file, String ntImagePath) throws BadImageException {
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw unopenable(file, ntImagePath, e);
    }
    NtStatus allowed = policy.checkRealPath(real);
    if (!allowed.isSuccess()) {
      throw new BadImageException(allowed, policy.blockedDetail(ntImagePath, real));
    }
    Optional<FileTrust.Problem> untrusted = policy.ownershipProblem(real);
    if (untrusted.isPresent()) {
      throw new BadImageException(NtStatus.STATUS_DRIVER_BLOCKED,
          ntImagePath + " is not trusted: " + untrusted.get().describe());
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new BadImageException(statusOf(e), real + ": " + e);
    }
    if (!attributes.isRegularFile()) {
      throw BadImageException.format(ntImagePath + " (" + real + ") is not a file");
    }
    return new OpenableFile(real,
        new FileIdentity(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey()));
  }

  /** Why an image file's path could not be resolved, as the status NT would give. */
  private BadImageException unopenable(Path file, String ntImagePath, IOException e) {
    if (!Files.exists(file)) {
      Path parent = file.getParent();
      boolean directoryExists = parent != null && Files.isDirectory(parent);
      return new BadImageException(directoryExists
          ? NtStatus.STATUS_OBJECT_NAME_NOT_FOUND
          : NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, ntImagePath + " (" + file + ") does not exist");
    }
    NtStatus allowed = policy.check(file);
    if (!allowed.isSuccess()) {
      return new BadImageException(allowed, allowed.equals(NtStatus.STATUS_DRIVER_BLOCKED)
          ? policy.blockedDetail(ntImagePath, file) : ntImagePath + " (" + file + "): " + e);
    }
    return new BadImageException(statusOf(e), file + ": " + e);
  }

  private static byte[] read(Path real, long maximumImageSize) throws BadImageException {
    // No links are followed on the way in: the policy decided on this very file.
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) Math.min(maximumImageSize + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > maximumImageSize) {
        throw new BadImageException(NtStatus.STATUS_INSUFFICIENT_RESOURCES,
            real + " is larger than " + maximumImageSize + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new BadImageException(statusOf(e), real + ": " + e);
    }
  }

  /** The NT status for a host I/O failure on an image file. */
  static NtStatus statusOf(IOException e) {
    if (e instanceof NoSuchFileException) {
      return NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
    }
    if (e instanceof AccessDeniedException) {
      return NtStatus.STATUS_ACCESS_DENIED;
    }
    return NtStatus.STATUS_UNSUCCESSFUL;
  }

  /** Every class file of the image, checked, by internal name, in the JAR's order. */
  private static Map<String, ClassFile> classFiles(JarImage jar) throws BadImageException {
    Map<String, ClassFile> classes = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> file : jar.files().entrySet()) {
      String entry = file.getKey();
      if (!entry.endsWith(CLASS_SUFFIX) || entry.startsWith("META-INF/")
          || entry.equals("module-info.class")) {
        // Resources, versioned classes of a multi-release JAR and the module descriptor are
        // never defined: an image is one unnamed module of one release.
        continue;
      }
      ClassFile classFile = ClassFile.read(file.getValue(), entry);
      if (!entry.equals(classFile.name() + CLASS_SUFFIX)) {
        throw BadImageException.format("entry " + entry + " holds class " + classFile.name());
      }
      if (ImportFilterLoader.isExported(classFile.name())) {
        throw BadImageException.format("the image carries " + classFile.binaryName()
            + ", in a package reserved for the system (java.*, ntio.ddk.*, ntio.framework.*)");
      }
      classes.put(classFile.name(), classFile);
    }
    return classes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
