package ntio.kernel.loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.CodeSigner;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Warms the JDK's JAR signature verification while the kernel boots, so that the first image the
 * kernel maps under code integrity does not pay for it. No NT counterpart: {@code ci.dll} is
 * native code and never cold.
 *
 * <p>The first verification of a signed JAR in a JVM loads and initialises some hundreds of JDK
 * classes (the JAR verifier, PKCS #7, X.509, the elliptic-curve and digest providers) and runs them
 * interpreted: 200 to 300 ms in a fresh JVM, against a few milliseconds once warm. This class
 * verifies a small JAR signed with a throw-away EC key ({@code signature-warm-up.jar}, next to this
 * class; its verdict decides nothing and its signer is trusted by nobody), on a daemon thread of
 * its own, in parallel with the rest of the boot (the hive, the I/O manager) and with whatever the
 * embedder does next.
 *
 * <p>It changes no decision: it shares no state with {@link CodeIntegrity} or {@link
 * ImageSignature}, caches nothing, and every image is still verified in full when it is mapped.
 * What is warmed is only the JDK's classes and code.
 *
 * <p>Stateless and thread-safe.
 */
public final class SignatureWarmUp {

  /** The embedded signed JAR, a resource of this class's package. */
  static final String RESOURCE = "signature-warm-up.jar";

  private static final System.Logger LOG = System.getLogger(SignatureWarmUp.class.getName());

  private SignatureWarmUp() {}

  /**
   * Starts the warm-up on a new daemon thread named {@code name} and returns it, started. The
   * thread ends by itself (in well under a second even cold); a failure is logged at DEBUG and
   * otherwise ignored, since nothing depends on it.
   */
  public static Thread start(String name) {
    Thread thread = new Thread(SignatureWarmUp::run, name);
    thread.setDaemon(true);
    // Below the boot's own threads: the warm-up only ever spends otherwise idle time.
    thread.setPriority(Thread.NORM_PRIORITY - 1);
    thread.start();
    return thread;
  }

  private static void run() {
    try {
      long started = System.nanoTime();
      String signer = verifyEmbedded();
      LOG.log(System.Logger.Level.DEBUG, () -> "signature verification warmed in "
          + (System.nanoTime() - started) / 1_000_000 + " ms (verified " + signer + ")");
    } catch (RuntimeException | IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "signature warm-up failed; the first signed image will"
          + " verify cold", e);
    }
  }

  /**
   * Verifies the embedded JAR's signature as the JDK verifies any signed JAR: every entry read to
   * its end, its digest checked against the signed manifest and the manifest against the signature
   * block.
   *
   * @return the common name of the signer of its one file
   * @throws IOException if the resource cannot be read, is not signed, or does not verify
   */
  static String verifyEmbedded() throws IOException {
    try (InputStream resource = SignatureWarmUp.class.getResourceAsStream(RESOURCE)) {
      if (resource == null) {
        throw new IOException("resource " + RESOURCE + " is missing");
      }
      try (JarInputStream jar = new JarInputStream(resource, true)) {
        String signer = null;
        byte[] buffer = new byte[4096];
        for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
          while (jar.read(buffer) != -1) {
            // Read to the end: only then does the JDK check the entry's digest.
          }
          CodeSigner[] signers = entry.getCodeSigners();
          if (!entry.isDirectory() && !ImageSignature.isSignatureFile(entry.getName())) {
            if (signers == null || signers.length == 0) {
              throw new IOException(RESOURCE + ": entry " + entry.getName() + " is not signed");
            }
            signer = ImageSignature.commonName((java.security.cert.X509Certificate)
                signers[0].getSignerCertPath().getCertificates().get(0));
          }
        }
        if (signer == null) {
          throw new IOException(RESOURCE + " holds no signed file");
        }
        return signer;
      }
    } catch (SecurityException e) {
      throw new IOException(RESOURCE + " does not verify: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
