package upcase.launch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import upcase.probe.Transport;

/**
 * Which ports a group of processes listens on (TCP) or has bound (UDP), read from Linux's
 * {@code /proc}: the socket inodes among each process's open files, looked up in
 * {@code /proc/net/{tcp,tcp6,udp,udp6}}. Read-only: nothing is sent to the program and no port
 * is taken from it, so it can be asked while the program starts. Where /proc cannot be read,
 * the answer is empty and the diagnosis says less.
 */
final class BoundPorts {
    private static final Path PROC = Path.of("/proc");
    /** TCP_LISTEN in the kernel's socket states, as /proc/net/tcp shows it. */
    private static final String LISTEN = "0A";

    private BoundPorts() {}

    /** The ports the processes {@code pids} listen on (TCP) or have bound (UDP). */
    static Map<Transport, Set<Integer>> of(List<Long> pids) {
        Set<String> inodes = new HashSet<>();
        for (long pid : pids) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (IOException e) {
                        // closed in between
                    }
                }
            } catch (IOException e) {
                // the process is gone, or its files are not ours to read
            }
        }
        Map<Transport, Set<Integer>> ports = new EnumMap<>(Transport.class);
        ports.put(Transport.TCP, table(List.of("tcp", "tcp6"), inodes, true));
        ports.put(Transport.UDP, table(List.of("udp", "udp6"), inodes, false));
        return ports;
    }

    /**
     * Whether /proc shows the sockets of process {@code pid}: Linux, and its open files readable
     * (not so when the program runs as another user, under sudo for instance).
     */
    static boolean visible(long pid) {
        return Files.isReadable(PROC.resolve("net/tcp")) && Files.isReadable(PROC.resolve(pid + "/fd"));
    }

    /** Whether anyone on this machine has bound UDP {@code port}: a server that is up, answering or not. */
    static boolean udpBound(int port) {
        return table(List.of("udp", "udp6"), null, false).contains(port);
    }

    /**
     * The local ports of the sockets in {@code /proc/net/NAME}: those with one of {@code inodes}
     * (all when null), only listening ones when {@code listening}. A line reads
     * {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...}, the
     * address as {@code HEXADDR:HEXPORT}.
     */
    private static Set<Integer> table(List<String> names, Set<String> inodes, boolean listening) {
        Set<Integer> ports = new TreeSet<>();
        for (String name : names) {
            List<String> lines;
            try {
                lines = Files.readAllLines(PROC.resolve("net").resolve(name));
            } catch (IOException e) {
                continue; // no IPv6, or no /proc
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.strip().split("\\s+");
                if (f.length < 10 || (listening && !f[3].equals(LISTEN)) || (inodes != null && !inodes.contains(f[9]))) {
                    continue;
                }
                String local = f[1];
                ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
            }
        }
        return ports;
    }
}
