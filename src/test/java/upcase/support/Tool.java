package upcase.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real program a test runs against (openssl, haproxy, promtool, ...): found on the PATH or in
 * the sbin directories Debian installs daemons to. Where it is missing, the test skips with a
 * one-line reason; .ci/packages names the Debian package that brings it.
 */
public final class Tool {
    private static final String[] EXTRA_DIRS = {"/usr/sbin", "/sbin", "/usr/local/sbin"};

    private Tool() {}

    /** The program's path, if it is installed. */
    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + String.join(File.pathSeparator, EXTRA_DIRS)).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The program's path; skips the calling test where it is missing, naming the package. */
    public static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        assumeTrue(found.isPresent(), name + " is not installed (Debian package " + debianPackage + "): skipping");
        return found.orElseThrow();
    }

    /** Skips the calling test unless it runs as root (network namespaces, chroots, sysctls). */
    public static void requireRoot(String why) {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: skipping " + why);
    }
}
