package upcase.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This JVM's open file descriptors, for the tests that a run leaves none behind (Linux's /proc). */
public final class Descriptors {
    private Descriptors() {}

    public static long open() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
