package upcase.support;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Keys and certificates made in the test by BouncyCastle (no openssl needed, so tests built on
 * them never skip), written as PEM in each format a server may be handed.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair and the certificate that carries its public key. */
    public record Issued(KeyPair keys, X509Certificate certificate) {}

    /** How a private key is written. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY} */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}: OpenSSL's traditional forms */
        TRADITIONAL
    }

    private TestPki() {}

    public static KeyPair rsa() {
        return generate("RSA", null);
    }

    public static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** A CA certificate, valid from an hour ago for a day. */
    public static Issued ca(String commonName) {
        KeyPair keys = ec();
        return new Issued(keys, certificate(keys, commonName, List.of(), true, null, null,
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1))));
    }

    /** A leaf for {@code names} (DNS names or IP literals), signed by {@code issuer} (null: self-signed). */
    public static Issued leaf(KeyPair keys, String commonName, List<String> names, Issued issuer, Instant notBefore,
            Instant notAfter) {
        return new Issued(keys, certificate(keys, commonName, names, false,
                issuer == null ? null : issuer.keys(), issuer == null ? null : issuer.certificate(), notBefore, notAfter));
    }

    /** A leaf for localhost and 127.0.0.1, valid now, signed by {@code issuer}. */
    public static Issued localhost(KeyPair keys, Issued issuer) {
        return leaf(keys, "localhost", List.of("localhost", "127.0.0.1", "::1"), issuer,
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    private static X509Certificate certificate(KeyPair keys, String commonName, List<String> names, boolean ca,
            KeyPair issuerKeys, X509Certificate issuer, Instant notBefore, Instant notAfter) {
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), java.util.Date.from(notBefore),
                    java.util.Date.from(notAfter), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    boolean ip = name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
                    general.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.ofLiteral(name).getHostAddress())
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            PrivateKey signer = issuerKeys == null ? keys.getPrivate() : issuerKeys.getPrivate();
            String algorithm = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new AssertionError(e);
        }
    }

    /** Certificates as PEM, in order. */
    public static Path writeCertificates(Path file, X509Certificate... certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        }
        return Files.writeString(file, text.toString());
    }

    public static Path writeKey(Path file, PrivateKey key, KeyFormat format) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            if (format == KeyFormat.PKCS8) {
                pem.writeObject(new JcaPKCS8Generator(key, null));
            } else if (key.getAlgorithm().equals("EC")) {
                // SEC1 as openssl writes it, the curve inside ([0] parameters): from a JDK key,
                // whose PKCS#8 form keeps the curve outside, BouncyCastle would leave it out.
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                org.bouncycastle.asn1.sec.ECPrivateKey inner =
                        org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
                byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                        info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
                pem.writeObject(new PemObject("EC PRIVATE KEY", sec1));
            } else {
                pem.writeObject(key);
            }
        }
        return Files.writeString(file, text.toString());
    }
}
