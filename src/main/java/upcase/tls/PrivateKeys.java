package upcase.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Private keys from PEM files in the formats openssl and certificate authorities hand out: PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}, with or without the {@code EC PARAMETERS} block
 * {@code openssl ecparam -genkey} writes before it). BouncyCastle decodes them (the JDK reads
 * PKCS#8 only); the result is a JDK key, used by the JDK's own TLS. Only this class touches
 * BouncyCastle, so only a process that loads a key pays for loading it.
 */
public final class PrivateKeys {
    private PrivateKeys() {}

    public static PrivateKey read(Path file) throws TlsFileException {
        String text = PemFiles.text(file, "key");
        // The JDK's providers, not BouncyCastle's: the key goes to the JDK's TLS, and upcase
        // never registers a security provider.
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                switch (object) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        // The private half alone: SEC1's public key is optional and often absent.
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(file);
                    case PEMEncryptedKeyPair encrypted -> throw encrypted(file);
                    case ASN1ObjectIdentifier curve -> {
                        // "BEGIN EC PARAMETERS" by name: the key block follows
                    }
                    case X9ECParameters explicit -> {
                        // explicit EC parameters: likewise only a preamble
                    }
                    default -> {
                        // a certificate in the same file: look on for the key
                    }
                }
            }
        } catch (TlsFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // PEMParser's own errors (bad base64, a block that is not what its label says)
            throw new TlsFileException("tls: key file " + file + " cannot be read: " + PemFiles.oneLine(e.getMessage()), e);
        }
        throw new TlsFileException("tls: key file " + file + " holds no private key" + PemFiles.found(text)
                + "; expected BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY");
    }

    private static TlsFileException encrypted(Path file) {
        return new TlsFileException("tls: key file " + file + " is encrypted; upcase reads unencrypted keys "
                + "(decrypt it with: openssl pkey -in " + file + " -out KEY.pem)");
    }
}
