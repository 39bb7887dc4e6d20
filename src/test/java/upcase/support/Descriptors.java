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

    /** This JVM's open descriptors and what each names ("socket:[123]", a path, "anon_inode:[io_uring]"). */
    public static java.util.Map<Integer, String> targets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            java.util.Map<Integer, String> targets = new java.util.TreeMap<>();
            fds.forEach(fd -> {
                try {
                    targets.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    // closed since the listing
                }
            });
            return targets;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The descriptors open now that were not in {@code before} (or name something else), for a failure message. */
    public static java.util.Map<Integer, String> addedSince(java.util.Map<Integer, String> before) {
        java.util.Map<Integer, String> added = new java.util.TreeMap<>(targets());
        added.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return added;
    }
}
