package upcase.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A certificate chain and its private key, read from PEM files and checked to belong together,
 * as the key managers an SSLContext presents them with (a server's, or a client certificate).
 *
 * @param chain the leaf first
 */
record KeyMaterial(List<X509Certificate> chain, KeyManager[] keyManagers) {

    /** @param role "certificate" or "client certificate", in messages */
    static KeyMaterial load(Path certificateFile, Path keyFile, String role) throws TlsFileException {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, role);
        PrivateKey key = PrivateKeys.read(keyFile);
        KeyPairCheck.require(key, keyFile, chain.getFirst(), certificateFile);
        try {
            // The password only satisfies the KeyStore API: the store never leaves this method.
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("upcase", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return new KeyMaterial(chain, factory.getKeyManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException("tls: cannot use " + certificateFile + " with " + keyFile + ": "
                    + PemFiles.oneLine(e.getMessage()), e);
        }
    }

    X509Certificate leaf() {
        return chain.getFirst();
    }
}
