package ntio.kernel.loader;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import ntio.api.CodeIntegrityMode;
import ntio.ddk.NtStatus;

/**
 * Code integrity for driver images: Windows' driver signature enforcement ({@code ci.dll}'s
 * {@code CiValidateImageHeader}, as {@code MmLoadSystemImage} calls it). Decides, at each map,
 * whether an image's signature lets it load under the mode and trusted publishers in force, and
 * names the signer the loaded image records.
 *
 * <p>Every decision that lets through an image the enforced mode would refuse is an event (kept
 * in {@link #events()}, Windows' {@code CodeIntegrity/Operational} log, and logged through {@link
 * System.Logger} {@code ntio.kernel.loader.CodeIntegrity}): WARN under test signing, AUDIT (logged
 * at DEBUG) while code integrity is not configured; every refusal is an event of level ERROR.
 *
 * <p>Thread-safe. Called by the loader under its {@code systemLoadLock}; takes only its own leaf
 * lock, and calls nothing but the settings supplier (a registry read) and the JDK.
 */
public final class CodeIntegrity {

  /*
   * Implementation notes:
   *
   * The settings are read at every map, so bcdedit and certutil apply to the next load. Verifying
   * a signature reads the whole JAR again, so its outcome is cached by the image's SHA-256 (the
   * same bytes give the same outcome); the trust decision is not cached, since the mode and the
   * publishers may change between two loads of the same image.
   */

  /** What a loaded image records as its signer when integrity checks are off. */
  public static final String NOT_CHECKED = "not checked";

  /** How many verified signatures are remembered. */
  static final int SIGNATURE_CACHE_SIZE = 64;

  /** How many events {@link #events()} keeps. */
  static final int EVENT_CAPACITY = 256;

  private static final System.Logger LOG = System.getLogger(CodeIntegrity.class.getName());

  /** Level of an event. */
  public enum Level {
    /**
     * An image let through only because code integrity was never configured ({@link
     * CodeIntegrityMode#AUDIT}); logged at DEBUG, since an unconfigured machine is a development
     * machine loading its own images.
     */
    AUDIT,
    /** An image let through under test signing although no trusted publisher vouches for it. */
    WARN,
    /** An image refused. */
    ERROR
  }

  /**
   * One code-integrity event.
   *
   * @param level WARN (loaded anyway) or ERROR (refused)
   * @param image the image's NT path
   * @param signer the signer's name, or {@value ImageSignature#UNSIGNED_NAME}
   * @param mode the mode in force
   * @param message what happened, naming the image and its signer
   */
  public record Event(Level level, String image, String signer, CodeIntegrityMode mode,
      String message) {}

  private final Supplier<CodeIntegritySettings> settings;
  private final Supplier<Instant> clock;

  /** Verified signatures by image SHA-256, least recently used first. */
  @GuardedBy("this")
  private final Map<String, ImageSignature> signatures =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImageSignature> eldest) {
          return size() > SIGNATURE_CACHE_SIZE;
        }
      };

  @GuardedBy("this")
  private final ArrayDeque<Event> events = new ArrayDeque<>();

  /**
   * Code integrity under the settings {@code settings} supplies at each map, judged at the
   * instant {@code clock} gives.
   */
  public CodeIntegrity(Supplier<CodeIntegritySettings> settings, Supplier<Instant> clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Code integrity that never checks: a loader with no configuration. */
  public static CodeIntegrity off() {
    return new CodeIntegrity(() -> CodeIntegritySettings.OFF, Instant::now);
  }

  /** The settings in force now (read from where they are kept). */
  public CodeIntegritySettings settings() {
    return settings.get();
  }

  /**
   * Decides whether the image may be mapped, and who signed it.
   *
   * @param ntImagePath the image's NT path, for events and details
   * @param file the image's real host path
   * @param sha256 the SHA-256 of the bytes the loader read
   * @param files the files the loader read from those bytes, by entry name
   * @return the signer's name the loaded image records
   * @throws BadImageException {@code STATUS_INVALID_IMAGE_HASH} naming the image, its signer and
   *     why, when the mode refuses it
   */
  String check(String ntImagePath, Path file, String sha256, Map<String, byte[]> files)
      throws BadImageException {
    CodeIntegritySettings now = settings.get();
    if (now.mode() == CodeIntegrityMode.OFF) {
      return NOT_CHECKED;
    }
    boolean[] fresh = new boolean[1];
    ImageSignature signature = signature(file, sha256, files, fresh);
    // Audit mode speaks once per image content (while its signature is cached), not at every
    // load: a development machine loads the same unsigned image many times.
    boolean audit = now.mode() == CodeIntegrityMode.AUDIT;
    boolean quiet = audit && !fresh[0];
    String signer = signature.signerName();
    switch (signature.state()) {
      case INVALID, UNSIGNED -> {
        String why = ntImagePath + (signature.state() == ImageSignature.State.UNSIGNED
            ? " is not signed" : " has an invalid signature: " + signature.detail());
        return letThroughOrRefuse(audit, quiet, ntImagePath, signer, now.mode(), why);
      }
      case SIGNED -> {
        Optional<ImageSignature.TrustedSigner> trusted =
            signature.trustedSigner(now.trustedPublishers(), clock.get());
        if (trusted.isPresent()) {
          return trusted.get().name();
        }
        String why = ntImagePath + " is signed by " + signer
            + ", whose certificate chain reaches no trusted publisher";
        return letThroughOrRefuse(now.mode() != CodeIntegrityMode.ENFORCED, quiet, ntImagePath,
            signer, now.mode(), why);
      }
    }
    throw new AssertionError(signature.state());
  }

  private String letThroughOrRefuse(boolean letThrough, boolean quiet, String image,
      String signer, CodeIntegrityMode mode, String why) throws BadImageException {
    if (letThrough) {
      if (!quiet) {
        record(new Event(mode == CodeIntegrityMode.AUDIT ? Level.AUDIT : Level.WARN, image, signer, mode,
            why + "; loaded anyway (" + describe(mode) + ")"));
      }
      return signer;
    }
    record(new Event(Level.ERROR, image, signer, mode, why + "; refused (" + describe(mode) + ")"));
    throw new BadImageException(NtStatus.STATUS_INVALID_IMAGE_HASH, why);
  }

  private static String describe(CodeIntegrityMode mode) {
    return switch (mode) {
      case OFF -> "integrity checks off";
      case AUDIT -> "code integrity not configured: audit only";
      case TEST_SIGNING -> "test signing on";
      case ENFORCED -> "signatures enforced";
    };
  }

  /** The image's signature, from the cache or verified now ({@code fresh[0]} says which). */
  private ImageSignature signature(Path file, String sha256, Map<String, byte[]> files,
      boolean[] fresh) {
    synchronized (this) {
      ImageSignature cached = signatures.get(sha256);
      if (cached != null) {
        return cached;
      }
    }
    fresh[0] = true;
    ImageSignature verified =
        ImageSignature.verify(file, files, DriverLoader.MAXIMUM_INFLATED_SIZE);
    synchronized (this) {
      signatures.put(sha256, verified);
    }
    return verified;
  }

  private void record(Event event) {
    synchronized (this) {
      if (events.size() == EVENT_CAPACITY) {
        events.removeFirst();
      }
      events.addLast(event);
    }
    LOG.log(switch (event.level()) {
      case AUDIT -> System.Logger.Level.DEBUG;
      case WARN -> System.Logger.Level.WARNING;
      case ERROR -> System.Logger.Level.ERROR;
    }, event.message());
  }

  /** The latest events, oldest first (at most {@value #EVENT_CAPACITY}). */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }
}
