package upcase.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** This JVM's open file descriptors, for the tests that a run leaves none behind (Linux's /proc). */
public final class Descriptors {
    private Descriptors() {}

    /** The descriptors of this JVM's epoll instances (their /proc/self/fd link is anon_inode:[eventpoll]). */
    public static Set<Integer> epollInstances() {
        Set<Integer> epolls = new TreeSet<>();
        targets().forEach((fd, target) -> {
            if (target.equals("anon_inode:[eventpoll]")) {
                epolls.add(fd);
            }
        });
        return epolls;
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
    public static Map<Integer, String> targets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            Map<Integer, String> targets = new TreeMap<>();
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
    public static Map<Integer, String> addedSince(Map<Integer, String> before) {
        Map<Integer, String> added = new TreeMap<>(targets());
        added.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return added;
    }
}
