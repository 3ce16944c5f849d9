package ntio.kernel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Code-signing keys and signed JARs for tests, made at run time with the JDK's own {@code keytool}
 * ({@code $JAVA_HOME/bin}, for the certificates, which no public JDK API makes) and {@code
 * jarsigner}'s API ({@code jdk.security.jarsigner}): nothing secret is ever committed. Also rewrites
 * signed JARs the ways an attacker would (an entry changed, an entry added).
 */
public final class CodeSigning {

  private static final String PASSWORD = "test-only-password";

  private CodeSigning() {}

  /**
   * A signing key with a self-signed certificate whose subject is {@code CN=<commonName>}, in a
   * PKCS#12 key store of its own under {@code directory}.
   */
  public static Signer selfSigned(Path directory, String commonName) {
    String alias = alias(commonName);
    Path keyStore = directory.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + commonName + ", O=ntio tests", "-validity", "3650",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    return Signer.load(commonName, keyStore, alias, directory);
  }

  /**
   * A signing key whose certificate {@code issuer} issued (with the issuer's certificate in its
   * chain), in a key store of its own: a publisher that trusts {@code issuer} trusts it.
   */
  public static Signer issuedBy(Signer issuer, Path directory, String commonName) {
    String alias = alias(commonName);
    Path keyStore = directory.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + commonName + ", O=ntio tests", "-validity", "3650",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    Path request = directory.resolve(alias + ".csr");
    keytool("-certreq", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", request.toString());
    Path issued = directory.resolve(alias + "-issued.pem");
    keytool("-gencert", "-alias", issuer.alias(), "-keystore", issuer.keyStore().toString(),
        "-storepass", PASSWORD, "-infile", request.toString(), "-outfile", issued.toString(),
        "-rfc", "-validity", "3650", "-ext", "KeyUsage=digitalSignature",
        "-ext", "ExtendedKeyUsage=codeSigning");
    delete(request);
    try {
      // The key store holds the chain the signature carries: the issued certificate, then its issuer.
      KeyStore store = open(keyStore);
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Certificate leaf;
      try (InputStream in = Files.newInputStream(issued)) {
        leaf = factory.generateCertificate(in);
      }
      Certificate root;
      try (InputStream in = Files.newInputStream(issuer.certificate())) {
        root = factory.generateCertificate(in);
      }
      store.setKeyEntry(alias, store.getKey(alias, PASSWORD.toCharArray()),
          PASSWORD.toCharArray(), new Certificate[] {leaf, root});
      try (OutputStream out = Files.newOutputStream(keyStore)) {
        store.store(out, PASSWORD.toCharArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return Signer.load(commonName, keyStore, alias, directory);
  }

  private static KeyStore open(Path keyStore) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  /**
   * A signing key and its certificate.
   *
   * @param commonName the certificate subject's CN
   * @param keyStore the PKCS#12 key store holding the key
   * @param alias the key's alias in it
   * @param certificate the certificate, DER-encoded, as {@code keytool -exportcert} writes it
   */
  public record Signer(String commonName, Path keyStore, String alias, Path certificate,
      PrivateKey key, CertPath chain) {

    static Signer load(String commonName, Path keyStore, String alias, Path directory) {
      try {
        KeyStore store = open(keyStore);
        PrivateKey key = (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
        CertPath chain = CertificateFactory.getInstance("X.509")
            .generateCertPath(List.of(store.getCertificateChain(alias)));
        Path certificate = directory.resolve(alias + ".cer");
        Files.write(certificate, store.getCertificate(alias).getEncoded());
        return new Signer(commonName, keyStore, alias, certificate, key, chain);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Signs {@code jar} in place as {@code jarsigner} does, through the JDK's own {@code
     * jdk.security.jarsigner.JarSigner} (what the {@code jarsigner} tool runs).
     */
    public Path sign(Path jar) {
      ByteArrayOutputStream signed = new ByteArrayOutputStream();
      try (ZipFile in = new ZipFile(jar.toFile())) {
        new JarSigner.Builder(key, chain).build().sign(in, signed);
        Files.write(jar, signed.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return jar;
    }

    /** The certificate's DER encoding. */
    public byte[] certificateBytes() {
      try {
        return Files.readAllBytes(certificate);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Rewrites a JAR entry by entry, in order, keeping every other entry (signature files included)
   * as it is: {@code change} gets each entry's name and bytes and answers the new bytes; {@code
   * added} are appended, unsigned.
   */
  public static Path rewrite(Path jar, Map<String, UnaryOperator<byte[]>> change,
      Map<String, byte[]> added) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(jar);
        ZipInputStream zipIn = new ZipInputStream(in);
        ZipOutputStream zipOut = new ZipOutputStream(out)) {
      for (ZipEntry entry = zipIn.getNextEntry(); entry != null; entry = zipIn.getNextEntry()) {
        byte[] data = zipIn.readAllBytes();
        UnaryOperator<byte[]> changer = change.get(entry.getName());
        zipOut.putNextEntry(new ZipEntry(entry.getName()));
        zipOut.write(changer == null ? data : changer.apply(data));
        zipOut.closeEntry();
      }
      for (Map.Entry<String, byte[]> extra : added.entrySet()) {
        zipOut.putNextEntry(new ZipEntry(extra.getKey()));
        zipOut.write(extra.getValue());
        zipOut.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.write(jar, out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  private static String alias(String commonName) {
    return commonName.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
  }

  private static void keytool(String... arguments) {
    run("keytool", arguments);
  }

  private static void run(String tool, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
    // A short-lived tool: no JIT tiers or parallel GC worth starting on a busy machine.
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(tool + " failed (" + exit + "): " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(tool + " interrupted", e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
