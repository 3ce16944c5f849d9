package ntio.kernel;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import ntio.api.CodeIntegrityMode;
import ntio.api.KeyNameResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.loader.CodeIntegritySettings;
import ntio.kernel.loader.ImageSignature;
import ntio.kernel.objects.Caller;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.registry.Registry;

/**
 * Where a kernel keeps its code-integrity configuration, and the reader the loader asks at every
 * map.
 *
 * <ul>
 *   <li>The mode: {@code HKLM\SYSTEM\CurrentControlSet\Control\CI}, REG_DWORD values {@value
 *       #NO_INTEGRITY_CHECKS} and {@value #TEST_SIGNING} — Windows' two boot options, written by
 *       {@code ntio bcdedit /set}. {@code NoIntegrityChecks = 1} is {@link CodeIntegrityMode#OFF};
 *       else {@code TestSigning = 1} is {@link CodeIntegrityMode#TEST_SIGNING}; else, if either
 *       value exists, {@link CodeIntegrityMode#ENFORCED}; if neither does (a state directory never
 *       configured), {@link CodeIntegrityMode#AUDIT}.
 *   <li>The trusted publishers: Windows' {@code TrustedPublisher} certificate store, {@code
 *       HKLM\SOFTWARE\Microsoft\SystemCertificates\TrustedPublisher\Certificates}, one subkey per
 *       certificate named by its SHA-1 thumbprint (upper-case hex), whose REG_BINARY value
 *       {@value #BLOB} holds the certificate's DER encoding (Windows' {@code Blob} wraps it in a
 *       serialized certificate context; here it is the DER alone). {@code ntio certutil
 *       -addstore TrustedPublisher} writes them.
 * </ul>
 *
 * <p>Thread-safe: each read opens the keys with kernel handles, reads and closes them.
 */
public final class CodeIntegrityRegistry {

  /** The key holding the mode's two values. */
  public static final String CI_KEY =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\CI";

  /** {@code bcdedit /set nointegritychecks}: REG_DWORD, 1 turns integrity checks off. */
  public static final String NO_INTEGRITY_CHECKS = "NoIntegrityChecks";

  /** {@code bcdedit /set testsigning}: REG_DWORD, 1 accepts any valid signature. */
  public static final String TEST_SIGNING = "TestSigning";

  /** The store of trusted publishers: one subkey per certificate. */
  public static final String TRUSTED_PUBLISHERS_KEY = "\\Registry\\Machine\\Software\\Microsoft"
      + "\\SystemCertificates\\TrustedPublisher\\Certificates";

  /** The value of a certificate's subkey that holds its DER encoding. */
  public static final String BLOB = "Blob";

  /** The most certificates read from the store; any past it are ignored. */
  static final int MAXIMUM_PUBLISHERS = 1024;

  private static final System.Logger LOG = System.getLogger(CodeIntegrityRegistry.class.getName());

  private final Registry registry;
  private final ObjectManager objects;

  CodeIntegrityRegistry(Registry registry, ObjectManager objects) {
    this.registry = registry;
    this.objects = objects;
  }

  /** The mode and trusted publishers the registry holds now: what the loader asks at every map. */
  CodeIntegritySettings settings() {
    Caller caller = objects.kernelCaller();
    return new CodeIntegritySettings(mode(caller), publishers(caller));
  }

  /** The mode the registry holds now. */
  CodeIntegrityMode mode() {
    return mode(objects.kernelCaller());
  }

  private CodeIntegrityMode mode(Caller caller) {
    Map<String, RegValue> values = registry.queryKernelValues(caller, CI_KEY, NO_INTEGRITY_CHECKS, TEST_SIGNING);
    return modeOf(dword(values.get(NO_INTEGRITY_CHECKS)), dword(values.get(TEST_SIGNING)));
  }

  /**
   * The mode two values make: {@code NoIntegrityChecks} non-zero is {@link CodeIntegrityMode#OFF};
   * else {@code TestSigning} non-zero is {@link CodeIntegrityMode#TEST_SIGNING}; else either value
   * present is {@link CodeIntegrityMode#ENFORCED}; neither is {@link CodeIntegrityMode#AUDIT}. A
   * value that is not a REG_DWORD is read as present and 0.
   */
  public static CodeIntegrityMode modeOf(OptionalInt noIntegrityChecks, OptionalInt testSigning) {
    if (noIntegrityChecks.orElse(0) != 0) {
      return CodeIntegrityMode.OFF;
    }
    if (testSigning.orElse(0) != 0) {
      return CodeIntegrityMode.TEST_SIGNING;
    }
    return noIntegrityChecks.isPresent() || testSigning.isPresent()
        ? CodeIntegrityMode.ENFORCED : CodeIntegrityMode.AUDIT;
  }

  private List<X509Certificate> publishers(Caller caller) {
    Optional<Handle> store = open(caller, TRUSTED_PUBLISHERS_KEY);
    if (store.isEmpty()) {
      return List.of();
    }
    List<X509Certificate> found = new ArrayList<>();
    try {
      for (int i = 0; i < MAXIMUM_PUBLISHERS; i++) {
        KeyNameResult name = registry.ntEnumerateKey(caller, store.get(), i);
        if (!name.status().isSuccess()) {
          break;
        }
        certificate(caller, TRUSTED_PUBLISHERS_KEY + "\\" + name.name()).ifPresent(found::add);
      }
    } finally {
      objects.close(store.get(), caller);
    }
    return found;
  }

  private Optional<X509Certificate> certificate(Caller caller, String path) {
    RegValue blob = registry.queryKernelValues(caller, path, BLOB).get(BLOB);
    if (blob == null || blob.type() != RegType.REG_BINARY) {
      LOG.log(System.Logger.Level.WARNING, path + " holds no REG_BINARY " + BLOB + "; ignored");
      return Optional.empty();
    }
    try {
      return Optional.of(parse(blob.data()));
    } catch (CertificateException e) {
      // A damaged entry trusts nobody; it must not stop the other publishers from counting.
      LOG.log(System.Logger.Level.WARNING, path + " is not a DER certificate; ignored: " + e);
      return Optional.empty();
    }
  }

  /**
   * A certificate's name in the store: the SHA-1 of its DER encoding in upper-case hex, as
   * Windows names the subkeys of a certificate store ({@code certutil} calls it "Cert Hash(sha1)").
   */
  public static String thumbprint(X509Certificate certificate) {
    try {
      return java.util.HexFormat.of().withUpperCase().formatHex(
          java.security.MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    } catch (java.security.NoSuchAlgorithmException | CertificateException e) {
      throw new IllegalStateException("cannot take the thumbprint of " + certificate, e);
    }
  }

  /**
   * Who signed the image file at {@code jar}, as code integrity will find it: the signer's common
   * name, {@code unsigned} or {@code invalid signature}. What a tool (such as {@code sc create})
   * shows before the kernel ever loads the image; the kernel decides at load whether that signer
   * may load.
   */
  public static String imageSigner(Path jar) {
    return ImageSignature.verify(jar).signerName();
  }

  /** A certificate from its DER (or PEM) encoding. */
  public static X509Certificate parse(byte[] encoded) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(encoded));
  }

  private Optional<Handle> open(Caller caller, String path) {
    OpenResult opened = registry.ntOpenKey(caller, AccessMask.KEY_READ, new ObjectAttributes(
        Handle.NULL, UnicodeString.of(path),
        ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
    return opened.status().isSuccess() ? Optional.of(opened.handle()) : Optional.empty();
  }

  /** A value the mode reads: absent stays absent; one that is not a REG_DWORD counts as 0, which enforces. */
  private static OptionalInt dword(RegValue found) {
    if (found == null) {
      return OptionalInt.empty();
    }
    return found.type() == RegType.REG_DWORD ? found.dwordValue() : OptionalInt.of(0);
  }
}
