package upcase.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** This JVM's open file descriptors, for the tests that a run leaves none behind (Linux's /proc). */
public final class Descriptors {
    private Descriptors() {}

    /** The descriptors of this JVM's epoll instances (their /proc/self/fd link is anon_inode:[eventpoll]). */
    public static java.util.Set<Integer> epollInstances() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            java.util.Set<Integer> epolls = new java.util.TreeSet<>();
            fds.forEach(fd -> {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[eventpoll]")) {
                        epolls.add(Integer.parseInt(fd.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // closed since the listing: not an instance of interest
                }
            });
            return epolls;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many descriptors epoll instance {@code epfd} has registered: its "tfd:" lines in /proc/self/fdinfo. */
    public static long epollRegistrations(int epfd) {
        try {
            return Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(epfd))).stream()
                    .filter(line -> line.startsWith("tfd:")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long open() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
