package ntio.kernel.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * What an image's {@code jarsigner} signature says: no signature, a valid one and by whom, or an
 * invalid one and why. Made by the JDK's own JAR verification ({@link JarFile} opened with {@code
 * verify = true}), which checks each entry's digest against the signed manifest and the manifest
 * against each signer's signature block.
 *
 * <p>Immutable and thread-safe. Holds certificates only, never the image's bytes.
 */
public final class ImageSignature {

  /*
   * Implementation notes:
   *
   * JarFile verifies an entry only as it is read to its end, and JarEntry.getCodeSigners() is
   * only meaningful after that; so every entry is read fully. The reads are bounded: when the
   * loader's own reading of the image is given ("expected"), an entry may be no longer than the
   * bytes the loader read for it, and must equal them byte for byte, so the bytes whose signature
   * is verified here are exactly the bytes the loader defines, even if the file changed between
   * the two reads. Without it (a tool asking who signed a file), all entries together are capped
   * at DriverLoader.MAXIMUM_INFLATED_SIZE.
   *
   * "Signed" is stricter than JarFile's: every file except the signature files themselves must
   * carry the same, non-empty set of signers. An entry added after signing carries none (it is
   * not in the signed manifest), and an entry whose digest fails makes JarFile throw.
   */

  /** What the signature says. */
  public enum State {
    /** No entry carries a signer: no signature, or signature files that sign nothing. */
    UNSIGNED,
    /** Every file is signed, by the same signers, and every digest matched. */
    SIGNED,
    /** Tampered, partly signed, or signed by different signers: never acceptable. */
    INVALID
  }

  /** What {@link #signerName()} says of an unsigned image. */
  public static final String UNSIGNED_NAME = "unsigned";

  private static final int BUFFER = 8192;

  private final State state;
  private final List<CodeSigner> signers;
  private final String detail;

  private ImageSignature(State state, List<CodeSigner> signers, String detail) {
    this.state = state;
    this.signers = List.copyOf(signers);
    this.detail = detail;
  }

  /**
   * Verifies the signature of the JAR at {@code jar}, reading at most {@link
   * DriverLoader#MAXIMUM_INFLATED_SIZE} bytes of its entries: what a tool (such as {@code sc
   * create}) shows before the kernel ever loads the image.
   */
  public static ImageSignature verify(Path jar) {
    return verify(jar, null, DriverLoader.MAXIMUM_INFLATED_SIZE);
  }

  /**
   * Verifies the signature of the JAR at {@code jar}.
   *
   * @param expected the files the loader read from the image, by entry name; when given, the JAR
   *     must hold exactly these files, with exactly these bytes, or the signature is {@link
   *     State#INVALID}. Null to verify the file alone
   * @param maxInflated the most bytes all entries together may inflate to when {@code expected}
   *     is null; more is {@link State#INVALID}
   */
  static ImageSignature verify(Path jar, Map<String, byte[]> expected, long maxInflated) {
    Objects.requireNonNull(jar, "jar");
    try (JarFile file = new JarFile(jar.toFile(), true, ZipFile.OPEN_READ)) {
      return verify(file, expected, maxInflated);
    } catch (SecurityException e) {
      return invalid("the signature does not verify: " + e.getMessage());
    } catch (IOException e) {
      return invalid("the image cannot be read as a JAR: " + e);
    }
  }

  private static ImageSignature verify(JarFile file, Map<String, byte[]> expected, long maxInflated)
      throws IOException {
    Set<String> seen = new HashSet<>();
    Set<CodeSigner> signerSet = null;
    String firstSigned = null;
    String firstUnsigned = null;
    long total = 0;
    byte[] buffer = new byte[BUFFER];
    for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
      JarEntry entry = entries.nextElement();
      if (entry.isDirectory()) {
        continue;
      }
      String name = entry.getName();
      byte[] want = expected == null ? null : expected.get(name);
      if (expected != null && want == null) {
        return invalid("entry " + name + " is not among the files the loader read");
      }
      if (!seen.add(name)) {
        return invalid("entry " + name + " appears twice");
      }
      long cap = want != null ? want.length : maxInflated - total;
      long length = 0;
      try (InputStream in = file.getInputStream(entry)) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          if (length + n > cap) {
            return invalid(want != null ? "entry " + name + " is longer than the loader read it"
                : "the image's files inflate to more than " + maxInflated + " bytes");
          }
          if (want != null && !Arrays.equals(buffer, 0, n, want, (int) length, (int) length + n)) {
            return invalid("entry " + name + " differs from what the loader read");
          }
          length += n;
        }
      }
      if (want != null && length != want.length) {
        return invalid("entry " + name + " is shorter than the loader read it");
      }
      total += length;
      if (isSignatureFile(name)) {
        continue;
      }
      CodeSigner[] entrySigners = entry.getCodeSigners();
      if (entrySigners == null || entrySigners.length == 0) {
        firstUnsigned = firstUnsigned == null ? name : firstUnsigned;
        continue;
      }
      Set<CodeSigner> set = new LinkedHashSet<>(Arrays.asList(entrySigners));
      if (signerSet == null) {
        signerSet = set;
        firstSigned = name;
      } else if (!signerSet.equals(set)) {
        return invalid("entry " + name + " is signed by " + names(set) + ", entry " + firstSigned
            + " by " + names(signerSet));
      }
    }
    if (expected != null && !seen.containsAll(expected.keySet())) {
      return invalid("the JAR lacks files the loader read");
    }
    if (signerSet == null) {
      return new ImageSignature(State.UNSIGNED, List.of(), "no entry is signed");
    }
    if (firstUnsigned != null) {
      return invalid("entry " + firstUnsigned + " is not signed (added after signing?), while "
          + firstSigned + " is signed by " + names(signerSet));
    }
    return new ImageSignature(State.SIGNED, List.copyOf(signerSet), "");
  }

  /**
   * Whether an entry is part of the signature itself, which no signer covers: the manifest and the
   * signature and signature-block files directly in {@code META-INF/} (as {@code jarsigner}
   * decides). Any other file, in {@code META-INF/} or not, must be signed.
   */
  static boolean isSignatureFile(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    String file = upper.substring("META-INF/".length());
    return file.equals("MANIFEST.MF") || file.startsWith("SIG-") || file.endsWith(".SF")
        || file.endsWith(".RSA") || file.endsWith(".DSA") || file.endsWith(".EC");
  }

  private static ImageSignature invalid(String why) {
    return new ImageSignature(State.INVALID, List.of(), why);
  }

  /** What the signature says. */
  public State state() {
    return state;
  }

  /** The signers of a {@link State#SIGNED} image, in the order the JAR lists them; else empty. */
  public List<CodeSigner> signers() {
    return signers;
  }

  /** Why an image is {@link State#INVALID} or {@link State#UNSIGNED}; empty when signed. */
  public String detail() {
    return detail;
  }

  /**
   * Who signed the image, as {@code driverquery} shows it: the common name (else the whole
   * subject) of the first signer's certificate; {@value #UNSIGNED_NAME}; or {@code "invalid
   * signature"}.
   */
  public String signerName() {
    return switch (state) {
      case UNSIGNED -> UNSIGNED_NAME;
      case INVALID -> "invalid signature";
      case SIGNED -> commonName(leaf(signers.get(0)));
    };
  }

  /**
   * The first signer whose chain reaches a trusted publisher, with the publisher it reaches;
   * empty if none does (or the image is not {@link State#SIGNED}).
   *
   * <p>A signer is trusted when its certificate path, cut at the first certificate equal to a
   * trusted publisher, validates under PKIX with that publisher as the trust anchor (signatures,
   * validity, basic constraints and key usage of the issuers; revocation is not checked), at the
   * signature's timestamp if it has one, else at {@code now}. A publisher equal to the signer's own
   * certificate trusts it directly, if that certificate is valid at that instant.
   */
  public Optional<TrustedSigner> trustedSigner(List<X509Certificate> publishers, Instant now) {
    if (state != State.SIGNED) {
      return Optional.empty();
    }
    for (CodeSigner signer : signers) {
      List<X509Certificate> chain = chain(signer);
      Date at = signer.getTimestamp() != null
          ? signer.getTimestamp().getTimestamp() : Date.from(now);
      for (int i = 0; i < chain.size(); i++) {
        X509Certificate anchor = chain.get(i);
        if (publishers.contains(anchor) && validates(chain.subList(0, i), anchor, at)) {
          return Optional.of(new TrustedSigner(signer, anchor));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A signer that a trusted publisher vouches for.
   *
   * @param signer the signer
   * @param publisher the trusted publisher its chain reaches
   */
  public record TrustedSigner(CodeSigner signer, X509Certificate publisher) {
    /** The signer's common name, as {@link ImageSignature#signerName()} spells it. */
    public String name() {
      return commonName(leaf(signer));
    }
  }

  private static boolean validates(List<X509Certificate> path, X509Certificate anchor, Date at) {
    try {
      if (path.isEmpty()) {
        anchor.checkValidity(at);
        return true;
      }
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      // Revocation needs the network (CRLs, OCSP); a driver load must not.
      parameters.setRevocationEnabled(false);
      parameters.setDate(at);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<X509Certificate> chain(CodeSigner signer) {
    List<? extends Certificate> certificates = signer.getSignerCertPath().getCertificates();
    return certificates.stream()
        .filter(X509Certificate.class::isInstance)
        .map(X509Certificate.class::cast)
        .toList();
  }

  private static X509Certificate leaf(CodeSigner signer) {
    return (X509Certificate) signer.getSignerCertPath().getCertificates().get(0);
  }

  private static String names(Set<CodeSigner> signers) {
    return signers.stream().map(s -> commonName(leaf(s))).toList().toString();
  }

  /** The CN of a certificate's subject, or the whole subject if it has none. */
  static String commonName(X509Certificate certificate) {
    String subject = certificate.getSubjectX500Principal().getName();
    // RFC 2253: attributes separated by unescaped commas; the CN's value ends at the next one.
    int at = 0;
    while (at < subject.length()) {
      int end = at;
      while (end < subject.length() && subject.charAt(end) != ',') {
        end += subject.charAt(end) == '\\' ? 2 : 1;
      }
      String rdn = subject.substring(at, Math.min(end, subject.length()));
      if (rdn.regionMatches(true, 0, "CN=", 0, 3)) {
        return rdn.substring(3).replaceAll("\\\\(.)", "$1");
      }
      at = end + 1;
    }
    return subject;
  }

  @Override
  public String toString() {
    return state + (state == State.SIGNED ? " by " + names(new LinkedHashSet<>(signers))
        : ": " + detail);
  }
}
