package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.support.Scrape;
import upcase.support.Tool;
import upcase.support.UpcaseProcess;
import upcase.tcp.CloseReason;
import upcase.udp.Drop;

/**
 * An upcase server process on one engine, bound to 127.0.0.1 on ports the system picks, with
 * its {@code --metrics} listener: what the reliability tests read the server's own counts from
 * (the same numbers an operator sees), its descriptors, memory and CPU from /proc.
 */
final class EngineServer implements AutoCloseable {
    /** The names (as /proc shows them, 15 characters at most) of HotSpot's own threads. */
    private static final Pattern JVM_THREADS = Pattern.compile("C1 |C2 |GC |G1 |VM |Sweeper|Common-Cleaner|Reference Handl");

    private final UpcaseProcess process;
    private final int tcpPort;
    private final int udpPort;
    private final int metricsPort;

    private EngineServer(UpcaseProcess process, int tcpPort, int udpPort, int metricsPort) {
        this.process = process;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
        this.metricsPort = metricsPort;
    }

    /** {@code upcase tcp-server ARGS} on {@code engine}. */
    static EngineServer tcp(Engine engine, String... args) throws IOException, InterruptedException {
        return start(engine, List.of(), List.of(), "tcp-server", args);
    }

    /**
     * {@code upcase COMMAND ARGS} under {@code prlimit --nofile=LIMIT:LIMIT}: at most {@code limit}
     * open files, soft and hard. Skips the calling test where prlimit is missing.
     */
    static EngineServer startWithFileLimit(Engine engine, int limit, List<String> jvmOptions, String command,
            String... args) throws IOException, InterruptedException {
        return start(engine, fileLimit(limit), jvmOptions, command, args);
    }

    /** The prefix that runs a command with at most {@code limit} open files; skips the test where prlimit is missing. */
    static List<String> fileLimit(int limit) {
        Tool.require("prlimit", "util-linux");
        return List.of("prlimit", "--nofile=" + limit + ":" + limit, "--");
    }

    /**
     * {@code upcase COMMAND ARGS} ({@code tcp-server}, {@code udp-server} or {@code server}) under
     * {@code prefix} (a command that execs it, such as {@code prlimit --nofile=N:N --}) with
     * {@code jvmOptions}; waits for its start lines.
     */
    static EngineServer start(Engine engine, List<String> prefix, List<String> jvmOptions, String command,
            String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(command, "--bind", "127.0.0.1", "--metrics", "127.0.0.1:0"));
        boolean tcp = !command.equals("udp-server");
        boolean udp = !command.equals("tcp-server");
        if (command.equals("server")) {
            all.addAll(List.of("--tcp-port", "0", "--udp-port", "0"));
        } else {
            all.addAll(List.of("--port", "0"));
        }
        all.addAll(List.of(args));
        UpcaseProcess process = Engines.start(engine, prefix, jvmOptions, all.toArray(String[]::new));
        try {
            int tcpPort = tcp ? Engines.awaitListening(process, "tcp", engine) : -1;
            int udpPort = udp ? Engines.awaitListening(process, "udp", engine) : -1;
            int metricsPort = process.awaitListening("metrics");
            EngineServer server = new EngineServer(process, tcpPort, udpPort, metricsPort);
            server.makeTheJdkPollers();
            Scrape.metrics(metricsPort);
            return server;
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /**
     * Before any test counts descriptors: the JDK opens its virtual-thread pollers' epoll
     * descriptors (a fixed set: four here) for good the first time a virtual thread blocks on a socket,
     * which a scrape may or may not do (its request may be there before the read). A connection
     * that sends nothing makes the metrics listener's thread block on it for sure; it has
     * blocked once the connection's socket is registered with one of the process's epoll
     * descriptors (/proc/PID/fdinfo lists each one's registered descriptors as {@code tfd:}).
     */
    private void makeTheJdkPollers() throws IOException {
        try (java.net.Socket idle = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), metricsPort)) {
            Eventually.await("the metrics listener blocked on a connection", Duration.ofSeconds(20), () -> {
                try {
                    return metricsSocketPolled();
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private boolean metricsSocketPolled() throws IOException {
        Path proc = Path.of("/proc/" + process.process().pid());
        Set<String> metricsSockets = socketsOnLocalPort(metricsPort);
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().equals("anon_inode:[eventpoll]")) {
                        continue;
                    }
                    for (String line : Files.readAllLines(proc.resolve("fdinfo").resolve(fd.getFileName()))) {
                        String[] f = line.trim().split("\\s+"); // tfd:        7 events: ...
                        if (f[0].equals("tfd:") && metricsSockets.contains(
                                Files.readSymbolicLink(proc.resolve("fd").resolve(f[1])).toString())) {
                            return true;
                        }
                    }
                } catch (NoSuchFileException e) {
                    // closed since the listing
                }
            }
        }
        return false;
    }

    UpcaseProcess process() {
        return process;
    }

    int tcpPort() {
        return tcpPort;
    }

    int udpPort() {
        return udpPort;
    }

    /** The /metrics page now. */
    String metrics() throws IOException, InterruptedException {
        return Scrape.metrics(metricsPort);
    }

    /** One series of the /metrics page now, e.g. {@code upcase_tcp_connections_active}. */
    long metric(String series) throws IOException, InterruptedException {
        return Scrape.value(metrics(), series);
    }

    /** The TCP connection counters of one scrape. */
    record TcpCounts(long accepted, long closed, long active, long refused) {
        /** Every connection accepted is either closed (for some reason) or still open. */
        boolean addUp() {
            return accepted == closed + active;
        }
    }

    TcpCounts tcpCounts() throws IOException, InterruptedException {
        String page = metrics();
        long closed = 0;
        for (CloseReason reason : CloseReason.values()) {
            closed += Scrape.value(page, "upcase_tcp_connections_closed_total{reason=\"" + reason.label() + "\"}");
        }
        long refused = Scrape.value(page, "upcase_tcp_connections_refused_total{reason=\"max_connections\"}");
        return new TcpCounts(Scrape.value(page, "upcase_tcp_connections_accepted_total"), closed,
                Scrape.value(page, "upcase_tcp_connections_active"), refused);
    }

    /** The UDP datagram counters of one scrape. */
    record UdpCounts(long received, long answered, long dropped) {
        /** Every datagram received is either answered or dropped for a counted reason. */
        boolean addUp() {
            return received == answered + dropped;
        }
    }

    UdpCounts udpCounts() throws IOException, InterruptedException {
        String page = metrics();
        long dropped = 0;
        for (Drop drop : Drop.values()) {
            dropped += Scrape.value(page, "upcase_udp_datagrams_dropped_total{reason=\"" + drop.label() + "\"}");
        }
        return new UdpCounts(Scrape.value(page, "upcase_udp_datagrams_received_total"),
                Scrape.value(page, "upcase_udp_datagrams_answered_total"), dropped);
    }

    /** For Eventually: whether the TCP counters hold {@code condition} now; a failed scrape is "not yet". */
    BooleanSupplier tcpCountsMatch(Predicate<TcpCounts> condition) {
        return scraped(() -> condition.test(tcpCounts()));
    }

    /** For Eventually: whether the UDP counters hold {@code condition} now; a failed scrape is "not yet". */
    BooleanSupplier udpCountsMatch(Predicate<UdpCounts> condition) {
        return scraped(() -> condition.test(udpCounts()));
    }

    private interface Scraped {
        boolean test() throws IOException, InterruptedException;
    }

    private static BooleanSupplier scraped(Scraped check) {
        return () -> {
            try {
                return check.test();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    /**
     * The process's open descriptors (what each points to: a path, {@code socket:[INODE]},
     * {@code anon_inode:[eventpoll]}, ...), less the connections to its metrics listener: the
     * test's HTTP client keeps those alive between scrapes, and how many it holds is its
     * business, not a leak of the server's. (A socket's inode in /proc/PID/fd is matched to its
     * local port in /proc/net/tcp and tcp6.)
     */
    List<String> descriptors() {
        try {
            Set<String> metricsSockets = socketsOnLocalPort(metricsPort);
            List<String> targets = descriptorTargets();
            targets.removeIf(metricsSockets::contains);
            return targets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long openDescriptors() {
        return descriptors().size();
    }

    /**
     * Waits until the process holds no more descriptors than {@code before}; on timeout fails
     * naming those it holds now and did not then (for a socket, its line of /proc/net), so that
     * a leak says what leaked.
     */
    void awaitDescriptorsBackTo(List<String> before, Duration timeout) throws IOException {
        try {
            Eventually.await("descriptors back to " + before.size(), timeout, () -> openDescriptors() <= before.size());
        } catch (AssertionError e) {
            List<String> added = new ArrayList<>(descriptors());
            before.forEach(added::remove);
            List<String> described = new ArrayList<>();
            for (String target : added) {
                described.add(target + " " + socketLine(target));
            }
            throw new AssertionError(e.getMessage() + "; held now and not before: " + described, e);
        }
    }

    /** The /proc/net line of a {@code socket:[INODE]}, or "" (not an IP socket, or gone). */
    private static String socketLine(String target) throws IOException {
        if (!target.startsWith("socket:[")) {
            return "";
        }
        String inode = target.substring("socket:[".length(), target.length() - 1);
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            for (String line : Files.readAllLines(Path.of("/proc/net/" + table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[9].equals(inode)) {
                    return table + ": " + line.trim();
                }
            }
        }
        return "";
    }

    private List<String> descriptorTargets() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + process.process().pid() + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException e) {
                    // closed since the listing
                }
            }
        }
        return targets;
    }

    /** {@code socket:[INODE]} of every TCP socket whose local port is {@code port}. */
    private static Set<String> socketsOnLocalPort(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) { // after the column titles
                String[] f = line.trim().split("\\s+"); // sl local_address rem_address st ... uid timeout inode
                if (f[1].endsWith(hexPort)) {
                    sockets.add("socket:[" + f[9] + "]");
                }
            }
        }
        return sockets;
    }

    long residentKib() throws IOException {
        return process.residentKib();
    }

    /**
     * CPU time, user and system, in clock ticks (USER_HZ, 100 a second on Linux), used so far by
     * the threads that serve: every thread but the JVM's own compilers, collector and VM
     * threads, whose work (compiling what the last burst made hot) is not the server's. From
     * fields 14 and 15 of /proc/PID/task/TID/stat, after the thread name in parentheses.
     */
    long servingCpuTicks() throws IOException {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + process.process().pid() + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // the thread ended since the listing
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (JVM_THREADS.matcher(name).lookingAt()) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15, counted from 3
            }
        }
        return ticks;
    }

    /**
     * SIGTERM, then: exit 0, no stack trace on stderr, no JVM crash file ({@code hs_err_pidN.log},
     * which a fault in native code leaves in the working directory). Returns the stderr lines.
     */
    List<String> stopCleanly(Duration timeout) throws InterruptedException {
        long pid = process.process().pid();
        process.terminate();
        assertThat(process.awaitExit(timeout)).as("exit status").isZero();
        List<String> stderr = process.stderr();
        assertThat(stderr).as("stderr").noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread")
                || l.contains("A fatal error has been detected"));
        assertThat(Files.exists(Path.of("hs_err_pid" + pid + ".log"))).as("a JVM crash file").isFalse();
        return stderr;
    }

    @Override
    public void close() {
        process.close();
    }
}
