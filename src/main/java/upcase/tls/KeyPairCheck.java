package upcase.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Whether a private key belongs to a certificate. Without this check a mismatched pair starts
 * fine and then fails every handshake with an alert that names nothing; a signature made with the
 * key and verified with the certificate's public key proves the pair, whatever the algorithm.
 */
final class KeyPairCheck {
    private KeyPairCheck() {}

    private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
        return switch (keyAlgorithm) {
            case "RSA" -> Signature.getInstance("SHA256withRSA");
            case "EC" -> Signature.getInstance("SHA256withECDSA");
            case "RSASSA-PSS" -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield pss;
            }
            default -> Signature.getInstance(keyAlgorithm); // EdDSA keys name their signature: Ed25519, Ed448
        };
    }

    static void require(PrivateKey key, Path keyFile, X509Certificate certificate, Path certificateFile)
            throws TlsFileException {
        PublicKey publicKey = certificate.getPublicKey();
        String mismatch = "tls: key file " + keyFile + " does not match the certificate in " + certificateFile
                + " (" + certificate.getSubjectX500Principal().getName() + ")";
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            throw new TlsFileException(mismatch + ": a " + key.getAlgorithm() + " key for a " + publicKey.getAlgorithm()
                    + " certificate");
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = signature(key.getAlgorithm());
            signer.initSign(key);
            signer.update(challenge);
            byte[] signed = signer.sign();
            Signature verifier = signature(key.getAlgorithm());
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (!verifier.verify(signed)) {
                throw new TlsFileException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(mismatch + ": " + PemFiles.oneLine(e.getMessage()), e);
        }
    }
}
