package org.fpnas.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate authority of one machine, for servers that have no certificates of their own: it
 * keeps its files in one directory, {@value #CA} (what clients trust), {@value #CA_KEY}, {@value
 * #SERVER} and {@value #SERVER_KEY}, the keys readable by the owner only. {@link #ensure} makes
 * them once and reuses them while they are valid for the host names asked, so that clients given
 * the CA once keep trusting every later start. Keys are EC P-256, signatures ECDSA with SHA-256.
 */
public final class LocalCertificateAuthority {

  /** The CA's certificate, for clients to trust. */
  public static final String CA = "ca.pem";

  /** The CA's key; it signs new server certificates when the old one no longer fits. */
  public static final String CA_KEY = "ca.key";

  /** The server's certificate followed by the CA's. */
  public static final String SERVER = "server.pem";

  /** The server's key. */
  public static final String SERVER_KEY = "server.key";

  /** The names a local server is reached by. */
  public static final List<String> LOCALHOST = List.of("localhost", "127.0.0.1", "::1");

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(825);

  /** A certificate that expires sooner than this is made anew. */
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalCertificateAuthority() {}

  /**
   * The CA and a server certificate for the hosts (DNS names or IP addresses) in the directory,
   * made if missing, expiring within 30 days or not naming every host; a CA that is still valid
   * signs the new server certificate, so that clients that trust it need nothing new.
   */
  public static TlsMaterial ensure(Path dir, Collection<String> hosts) {
    Objects.requireNonNull(dir, "dir");
    Set<String> names = new LinkedHashSet<>(hosts);
    if (names.isEmpty() || names.stream().anyMatch(h -> h == null || h.isBlank())) {
      throw new IllegalArgumentException("a server certificate needs host names, got " + hosts);
    }
    try {
      Files.createDirectories(dir);
      KeyPair ca = validCa(dir);
      X509Certificate caCertificate;
      if (ca == null) {
        ca = newKeyPair();
        caCertificate = caCertificate(ca);
        writeKey(dir.resolve(CA_KEY), ca.getPrivate());
        writeText(dir.resolve(CA), pem(List.of(caCertificate)));
      } else {
        caCertificate = ServerCertificate.readCertificates(dir.resolve(CA)).get(0);
      }
      if (!serverFits(dir, caCertificate, names)) {
        KeyPair server = newKeyPair();
        X509Certificate certificate =
            serverCertificate(server, ca.getPrivate(), caCertificate, names);
        writeKey(dir.resolve(SERVER_KEY), server.getPrivate());
        writeText(dir.resolve(SERVER), pem(List.of(certificate, caCertificate)));
      }
      return new TlsMaterial(
          new ServerCertificate(dir.resolve(SERVER), dir.resolve(SERVER_KEY)), dir.resolve(CA));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot make TLS certificates in " + dir + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot make TLS certificates in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The CA's key pair if its files are there and it stays valid long enough, else null. */
  private static KeyPair validCa(Path dir) {
    Path certificate = dir.resolve(CA);
    Path key = dir.resolve(CA_KEY);
    if (!Files.exists(certificate) || !Files.exists(key)) {
      return null;
    }
    X509Certificate ca = ServerCertificate.readCertificates(certificate).get(0);
    if (expiresSoon(ca)) {
      return null;
    }
    PrivateKey privateKey = new ServerCertificate(certificate, key).key();
    return new KeyPair(ca.getPublicKey(), privateKey);
  }

  private static boolean serverFits(Path dir, X509Certificate ca, Set<String> hosts)
      throws GeneralSecurityException {
    if (!Files.exists(dir.resolve(SERVER)) || !Files.exists(dir.resolve(SERVER_KEY))) {
      return false;
    }
    X509Certificate server = ServerCertificate.readCertificates(dir.resolve(SERVER)).get(0);
    try {
      server.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false; // signed by an earlier CA
    }
    return !expiresSoon(server) && names(server).containsAll(hosts);
  }

  /** The DNS names and IP addresses a certificate is valid for. */
  public static Set<String> names(X509Certificate certificate) throws GeneralSecurityException {
    Set<String> names = new LinkedHashSet<>();
    Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
    if (alternatives != null) {
      for (List<?> name : alternatives) {
        String value = String.valueOf(name.get(1));
        names.add((Integer) name.get(0) == GeneralName.iPAddress ? canonicalAddress(value) : value);
      }
    }
    return names;
  }

  private static boolean expiresSoon(X509Certificate certificate) {
    return certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate caCertificate(KeyPair ca)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name subject = new X500Name("CN=fpnas local CA " + serial().toString(16).substring(0, 8));
    Instant now = Instant.now();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                subject,
                serial(),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(CA_VALIDITY)),
                subject,
                ca.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(ca.getPublic()));
    return sign(builder, ca.getPrivate());
  }

  private static X509Certificate serverCertificate(
      KeyPair server, PrivateKey caKey, X509Certificate ca, Set<String> hosts)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    List<GeneralName> names = new ArrayList<>();
    for (String host : hosts) {
      names.add(
          isAddress(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    Instant now = Instant.now();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                ca,
                serial(),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(SERVER_VALIDITY)),
                new X500Name("CN=" + hosts.iterator().next()),
                server.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(names.toArray(GeneralName[]::new)))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                extensions.createSubjectKeyIdentifier(server.getPublic()))
            .addExtension(
                Extension.authorityKeyIdentifier,
                false,
                extensions.createAuthorityKeyIdentifier(ca));
    return sign(builder, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static String canonicalAddress(String address) {
    try {
      return InetAddress.getByName(address).getHostAddress().replace("0:0:0:0:0:0:0:1", "::1");
    } catch (IOException e) {
      return address;
    }
  }

  private static String pem(List<X509Certificate> certificates) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter out = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : certificates) {
        out.writeObject(certificate);
      }
    }
    return text.toString();
  }

  /** A key file is created owner-only, so that the key is never readable by others. */
  private static void writeKey(Path file, PrivateKey key) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter out = new JcaPEMWriter(text)) {
      out.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeText(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
