package upcase.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files: certificates read with the JDK alone (its CertificateFactory decodes them), so a
 * client with {@code --ca FILE} never loads BouncyCastle; the labels of every block, to say what
 * a file holds when it is not what was asked for.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final int MAX_FILE = 1 << 20;

    private PemFiles() {}

    /**
     * Every {@code CERTIFICATE} block of the file, in order (a chain: the leaf first); other
     * blocks, such as a key in the same file, are passed over.
     *
     * @param role what the file is for, in messages: "certificate", "CA"
     */
    public static List<X509Certificate> certificates(Path file, String role) throws TlsFileException {
        String text = text(file, role);
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII))));
                }
            }
        } catch (CertificateException e) {
            throw new TlsFileException("tls: " + role + " file " + file + " has a certificate that cannot be read: "
                    + oneLine(e.getMessage()), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException("tls: " + role + " file " + file + " holds no PEM certificate" + found(text));
        }
        return certificates;
    }

    /** The file as text, bounded: certificates and keys are a few KiB. */
    static String text(Path file, String role) throws TlsFileException {
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new TlsFileException("tls: " + role + " file " + file + " is over 1 MiB: not a PEM file");
            }
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsFileException("tls: " + role + " file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new TlsFileException("tls: cannot read " + role + " file " + file + ": " + oneLine(e.toString()), e);
        }
    }

    /** {@code  (it has BEGIN RSA PRIVATE KEY)}, or that it has no PEM block at all. */
    static String found(String text) {
        List<String> labels = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            labels.add("BEGIN " + m.group(1));
        }
        return labels.isEmpty() ? " (it has no PEM block)" : " (it has " + String.join(", ", labels) + ")";
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
