package ntio.kernel.loader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.CodeSigner;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import ntio.ddk.DriverEntry;

/**
 * Warms the image loader's checks and the JDK's JAR signature verification while the kernel boots,
 * so that the first image the kernel maps does not pay for running them cold. No NT counterpart:
 * {@code ci.dll} and {@code MmLoadSystemImage} are native code and never cold.
 *
 * <p>In a fresh JVM the first load spends a few hundred milliseconds loading and running
 * interpreted the loader's checks ({@code JarImage}, the manifest, {@code ClassFile}, the imports,
 * the deny list, the entry point) and the JDK's signature verification (the JAR verifier, PKCS #7,
 * X.509, the elliptic-curve and digest providers), against a few milliseconds once warm. This
 * class puts a small driver image embedded in the kernel ({@code loader-warm-up.jar}, next to this
 * class: one class, {@code ntio.kernel.warmup.WarmUpDriver}, whose {@code driverEntry} returns
 * STATUS_SUCCESS, signed with a throw-away EC key made for it and kept by no one) through the same
 * checks and through the JDK's verification, on a daemon thread of its own, in parallel with the
 * rest of the boot and with whatever the embedder does next.
 *
 * <p>It changes no decision: it shares no state with the loader's caches or {@link CodeIntegrity},
 * defines and runs no class of the image, trusts its signer nowhere, and every image is still read,
 * checked and verified in full when it is mapped. What is warmed is only code.
 *
 * <p>Stateless and thread-safe.
 */
public final class LoaderWarmUp {

  /*
   * Implementation notes:
   *
   * How loader-warm-up.jar was made (any JDK 17+; remake it the same way if the checks change):
   *
   *   // ntio/kernel/warmup/WarmUpDriver.java
   *   public final class WarmUpDriver implements DriverEntry {
   *     public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
   *       return NtStatus.STATUS_SUCCESS;
   *     }
   *   }
   *   javac --release 17 -cp ntio-ddk.jar -d cls WarmUpDriver.java
   *   jar cfm loader-warm-up.jar manifest.txt -C cls .
   *       (manifest: Ntio-Driver-Entry: ntio.kernel.warmup.WarmUpDriver)
   *   keytool -genkeypair -keyalg EC -groupname secp256r1
   *       -dname "CN=ntio signature warm-up, O=ntio" -validity 36500 ...
   *       (the key was then thrown away)
   *   jarsigner -sigfile NTIOTEST loader-warm-up.jar ...
   *
   * The same key type and signature file name as the build's test signing, so the same JDK code
   * (SHA-256 digests, ECDSA on P-256) is warmed. LoaderWarmUpTest fails if the image stops
   * passing the checks or stops verifying.
   */

  /** The embedded image, a resource of this class's package. */
  static final String RESOURCE = "loader-warm-up.jar";

  private static final System.Logger LOG = System.getLogger(LoaderWarmUp.class.getName());

  private LoaderWarmUp() {}

  /**
   * Starts the warm-up on a new daemon thread named {@code name} and returns it, started. The
   * thread ends by itself (in well under a second even cold); a failure is logged at DEBUG and
   * otherwise ignored, since nothing depends on it.
   *
   * @param members the deny list the kernel's loader checks images against
   * @param verifySignature whether to warm the signature verification too (code integrity is on)
   */
  public static Thread start(String name, MemberPolicy members, boolean verifySignature) {
    Thread thread = new Thread(() -> run(members, verifySignature), name);
    thread.setDaemon(true);
    // Below the boot's own threads: the warm-up should spend otherwise idle time.
    thread.setPriority(Thread.NORM_PRIORITY - 1);
    thread.start();
    return thread;
  }

  private static void run(MemberPolicy members, boolean verifySignature) {
    try {
      long started = System.nanoTime();
      byte[] image = embeddedImage();
      String entry = checkImage(image, members);
      String signer = verifySignature ? verifySignature(image) : "not verified";
      LOG.log(System.Logger.Level.DEBUG, () -> "loader warmed in "
          + (System.nanoTime() - started) / 1_000_000 + " ms (" + entry + ", " + signer + ")");
    } catch (RuntimeException | IOException | BadImageException e) {
      LOG.log(System.Logger.Level.DEBUG, "loader warm-up failed; the first image will load cold",
          e);
    }
  }

  /** The embedded image's bytes. */
  static byte[] embeddedImage() throws IOException {
    try (InputStream resource = LoaderWarmUp.class.getResourceAsStream(RESOURCE)) {
      if (resource == null) {
        throw new IOException("resource " + RESOURCE + " is missing");
      }
      return resource.readAllBytes();
    }
  }

  /**
   * Runs the loader's image checks over {@code image}, as a map runs them, and its SHA-256.
   *
   * @return the entry class the checks found
   */
  static String checkImage(byte[] image, MemberPolicy members) throws BadImageException {
    DriverLoader.Inspected inspected = DriverLoader.inspect(image,
        LoaderLimits.DEFAULT_INFLATED_BYTES, LoaderLimits.DEFAULT_ENTRY_BYTES, members,
        new ImportFilterLoader(DriverEntry.class.getClassLoader()));
    try {
      MessageDigest.getInstance("SHA-256").digest(image);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    return inspected.manifest().entryClass();
  }

  /**
   * Verifies {@code image}'s signature as the JDK verifies any signed JAR: every entry read to its
   * end, its digest checked against the signed manifest and the manifest against the signature
   * block.
   *
   * @return the common name of the signer of its files
   * @throws IOException if the image is not signed, or does not verify
   */
  static String verifySignature(byte[] image) throws IOException {
    try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(image), true)) {
      String signer = null;
      byte[] buffer = new byte[4096];
      for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
        while (jar.read(buffer) != -1) {
          // Read to the end: only then does the JDK check the entry's digest.
        }
        if (entry.isDirectory() || ImageSignature.isSignatureFile(entry.getName())) {
          continue;
        }
        CodeSigner[] signers = entry.getCodeSigners();
        if (signers == null || signers.length == 0) {
          throw new IOException(RESOURCE + ": entry " + entry.getName() + " is not signed");
        }
        signer = ImageSignature.commonName(
            (X509Certificate) signers[0].getSignerCertPath().getCertificates().get(0));
      }
      if (signer == null) {
        throw new IOException(RESOURCE + " holds no signed file");
      }
      return signer;
    } catch (SecurityException e) {
      throw new IOException(RESOURCE + " does not verify: " + e.getMessage(), e);
    }
  }
}
