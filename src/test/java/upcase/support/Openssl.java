package upcase.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openssl} command, run in a directory to make keys and certificates as operators do.
 * Tests that use it skip where it is missing (Debian package openssl).
 */
public final class Openssl {
    private final Path program;
    private final Path dir;

    private Openssl(Path program, Path dir) {
        this.program = program;
        this.dir = dir;
    }

    /** Skips the calling test when openssl is not installed. */
    public static Openssl in(Path dir) {
        return new Openssl(Tool.require("openssl", "openssl"), dir);
    }

    /** Runs {@code openssl ARGS...} in the directory; fails the test with its output if it fails. */
    public void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args),
                new String(output, StandardCharsets.UTF_8)).isZero();
    }

    /** A self-signed certificate for {@code dnsName} alone (no address, not localhost), valid for a day: for wrong-host tests. */
    public void selfSignedOnlyFor(String key, String certificate, String dnsName) throws IOException, InterruptedException {
        run("req", "-x509", "-key", key, "-out", certificate, "-days", "1", "-subj", "/CN=" + dnsName,
                "-addext", "subjectAltName=DNS:" + dnsName);
    }

    /** A self-signed certificate for localhost, 127.0.0.1 and ::1, valid for a day, for the key in {@code key}. */
    public void selfSigned(String key, String certificate, String commonName) throws IOException, InterruptedException {
        run("req", "-x509", "-key", key, "-out", certificate, "-days", "1", "-subj", "/CN=" + commonName,
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
    }
}
