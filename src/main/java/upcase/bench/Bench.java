package upcase.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import upcase.nativeio.Availability;
import upcase.net.Engine;
import upcase.text.UpperCase;
import upcase.tls.ClientContext;
import upcase.tls.ClientTlsSettings;

/**
 * {@code upcase bench}: load generators that measure an uppercase server (upcase's own or a
 * peer), verify every reply byte for byte, and report throughput, latency, errors and their own
 * CPU use. Each scenario prints one progress line per second to {@code progress} and returns a
 * {@link Report}. See docs/BENCH.md.
 */
public final class Bench {
    /** Connects started and not yet answered, across all load threads. */
    static final int MAX_PENDING_CONNECTS = 1000;
    /** File descriptors the process needs besides one per connection: the JVM's own, selectors, stdio. */
    static final int SPARE_DESCRIPTORS = 64;

    private Bench() {}

    /** Where the server is, how to name it in reports, and with {@code tls} (null: none) how to speak TLS to it. */
    public record Target(InetSocketAddress address, String name, Tls tls) {
        public Target(InetSocketAddress address, String name) {
            this(address, name, null);
        }

        /**
         * A TLS context for one load thread (each has its own: see {@link ClientContext}); null
         * without TLS. The first one made reads the certificate files, so a missing one fails the
         * run before it starts.
         */
        ClientContext tlsContext() throws IOException {
            return tls == null ? null : ClientContext.create(tls.settings(), tls.host(), tls.server());
        }
    }

    /**
     * TLS towards the server ({@code --tls}).
     *
     * @param host the name the user gave, which the certificate must carry (unless the settings name another)
     * @param server the server as messages name it, {@code localhost:6789}
     */
    public record Tls(ClientTlsSettings settings, String host, String server) {}

    /** What replies are expected: the transform, and whether lines carry two-byte letters too. */
    public record Expect(UpperCase transform, boolean utf8) {
        String name() {
            return (transform == UpperCase.ascii() ? "ascii" : "unicode") + (utf8 ? ", utf8 text" : "");
        }
    }

    /** Where a run writes besides its report: the progress lines, and {@code --histogram-log} (null: none). */
    public record Output(PrintStream progress, Path histogramLog) {}

    /** How long to load: a warm-up, then the measured window. */
    public record Timing(Duration duration, Duration warmup) {}

    /**
     * {@code bench tcp}: {@code rate} lines per second in total, or 0 for as fast as the window allows;
     * {@code engine} as {@link #engine} resolved it.
     */
    public record TcpSpec(Target target, int connections, int depth, int size, Timing timing, double rate, int threads,
            Duration timeout, Expect expect, Engine engine) {}

    /**
     * The engine a run's connections use ({@code --engine}): {@code auto} is epoll where the
     * native calls work here and the run is plain TCP, else NIO, quietly (the report names it);
     * {@code epoll} where they do not work fails with the reason. TLS needs NIO (TlsChannel is
     * SSLEngine over a SocketChannel): the command line refuses {@code --tls --engine epoll}
     * before it gets here.
     */
    public static Engine engine(Engine asked, boolean tls) throws IOException {
        if (asked == Engine.NIO || (asked == Engine.AUTO && tls)) {
            return Engine.NIO;
        }
        if (tls) {
            throw new IllegalArgumentException("TLS runs on the nio engine only");
        }
        Availability here = Availability.here();
        if (here.available()) {
            return Engine.EPOLL;
        }
        if (asked == Engine.EPOLL) {
            throw new IOException("cannot bench with --engine epoll: " + here.reason());
        }
        return Engine.NIO;
    }

    public static Report tcp(TcpSpec spec, Output output) throws IOException, InterruptedException {
        requireDescriptors(spec.connections());
        int threads = Math.min(spec.threads(), spec.connections());
        Payload payload = Payload.lines(spec.size(), spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<TcpLoad> loops = loadThreads(threads, t ->
                new TcpLoad(t, threads, control, problems, spec.target().address(), spec.timeout().toNanos(),
                        pendingPerThread(threads), ids(t, threads, spec.connections()), payload, spec.depth(),
                        spec.rate(), spec.target().tlsContext(), spec.engine()));
        Measure.Outcome o = new Measure(loops, control, output.progress(), spec.rate() > 0,
                openLog(output, "tcp", spec.target())).run("tcp", spec.timing().warmup().toNanos(),
                spec.timing().duration().toNanos(), drain(spec.timeout()), spec.connections());

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connections", spec.connections());
        params.put("depth", spec.depth());
        params.put("size", spec.size());
        timed(params, spec.timing(), spec.rate(), threads, spec.timeout());
        params.put("expect", spec.expect().name());
        Report r = new Report("tcp", spec.target().name(), params);
        engine(r, spec.engine());
        connections(r, spec.connections(), o.total(Count.CONNECTS), o.total(Count.CONNECT_FAILURES));
        tls(r, spec.target(), loops);
        r.measured(o);
        rate(r, spec.rate(), o);
        return r.finish(o.cpuPercent(), problems);
    }

    /**
     * {@code bench udp}: {@code maxLossPercent} of the datagrams sent may go unanswered within the
     * timeout before the run fails.
     */
    public record UdpSpec(Target target, int sockets, int depth, int size, Timing timing, double rate, int threads,
            Duration timeout, double maxLossPercent, Expect expect, Engine engine) {}

    public static Report udp(UdpSpec spec, Output output) throws IOException, InterruptedException {
        requireDescriptors(spec.sockets());
        int threads = Math.min(spec.threads(), spec.sockets());
        Payload payload = Payload.datagrams(spec.size(), spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<UdpLoad> loops = loadThreads(threads, t ->
                new UdpLoad(t, threads, control, problems, spec.target().address(), spec.timeout().toNanos(),
                        ids(t, threads, spec.sockets()), payload, spec.depth(), spec.rate(), spec.engine()));
        Measure.Outcome o = new Measure(loops, control, output.progress(), spec.rate() > 0,
                openLog(output, "udp", spec.target())).run("udp", spec.timing().warmup().toNanos(),
                spec.timing().duration().toNanos(), drain(spec.timeout()), 0);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sockets", spec.sockets());
        params.put("depth", spec.depth());
        params.put("size", spec.size());
        timed(params, spec.timing(), spec.rate(), threads, spec.timeout());
        params.put("max_loss_percent", spec.maxLossPercent());
        params.put("expect", spec.expect().name());
        Report r = new Report("udp", spec.target().name(), params);
        r.measured(o);
        long sent = o.total(Count.SENT);
        long lost = o.total(Count.LOST);
        double lossPercent = sent == 0 ? 0 : 100.0 * lost / sent;
        r.put("loss_percent", Report.round(lossPercent, 3));
        r.row("lost", Report.count(lost) + " of " + Report.count(sent) + " (" + Report.decimal(lossPercent, 3)
                + "%; no reply within " + Report.duration(spec.timeout().toNanos()) + "), late "
                + Report.count(o.total(Count.LATE)));
        if (lossPercent > spec.maxLossPercent()) {
            r.fail("lost " + Report.decimal(lossPercent, 3) + "% of datagrams, more than --max-loss "
                    + spec.maxLossPercent() + "%");
        }
        rate(r, spec.rate(), o);
        engine(r, spec.engine());
        return r.finish(o.cpuPercent(), problems);
    }

    /**
     * {@code bench connect}: {@code concurrency} workers, each connecting anew for every line;
     * {@code rate} exchanges per second in total, or 0 for each worker going again at once.
     */
    public record ConnectSpec(Target target, int concurrency, int size, Timing timing, double rate, int threads,
            Duration timeout, Expect expect) {}

    public static Report connect(ConnectSpec spec, Output output) throws IOException, InterruptedException {
        requireDescriptors(spec.concurrency());
        int threads = Math.min(spec.threads(), spec.concurrency());
        Payload payload = Payload.lines(spec.size(), spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<ConnectLoad> loops = loadThreads(threads, t ->
                new ConnectLoad(t, control, problems, spec.target().address(), spec.timeout().toNanos(),
                        ids(t, threads, spec.concurrency()), payload, threads, spec.rate(), spec.target().tlsContext()));
        Measure.Outcome o = new Measure(loops, control, output.progress(), spec.rate() > 0,
                openLog(output, "connect", spec.target())).run("connect", spec.timing().warmup().toNanos(),
                spec.timing().duration().toNanos(), drain(spec.timeout()), 0);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("concurrency", spec.concurrency());
        params.put("size", spec.size());
        timed(params, spec.timing(), spec.rate(), threads, spec.timeout());
        params.put("expect", spec.expect().name());
        Report r = new Report("connect", spec.target().name(), params);
        long connects = o.window(Count.CONNECTS);
        double perSecond = o.seconds() > 0 ? connects / o.seconds() : 0;
        r.put("connects", connects);
        r.put("connects_per_s", Report.round(perSecond, 1));
        tls(r, spec.target(), loops);
        if (spec.target().tls() != null) {
            r.put("handshakes", connects);
            r.put("handshakes_per_s", Report.round(perSecond, 1));
        }
        r.row("connects", Report.count(connects) + "   " + Report.decimal(perSecond, 1)
                + "/s (one line each; latency is connect to reply"
                + (spec.target().tls() != null ? ", a full TLS handshake each, included)" : ")"));
        r.measured(o);
        rate(r, spec.rate(), o);
        return r.finish(o.cpuPercent(), problems);
    }

    /**
     * {@code bench bulk}: one connection streaming {@code megabytes} MB (10^6 bytes) of
     * {@code line}-byte lines, after {@code warmupMegabytes} more that are checked but not timed.
     */
    public record BulkSpec(Target target, int megabytes, int warmupMegabytes, int line, Duration timeout,
            Expect expect) {}

    public static Report bulk(BulkSpec spec, Output output) throws IOException, InterruptedException {
        Payload payload = Payload.lines(spec.line(), spec.expect().utf8(), spec.expect().transform());
        long warmupLines = spec.warmupMegabytes() * 1_000_000L / spec.line();
        long lines = warmupLines + (spec.megabytes() * 1_000_000L + spec.line() - 1) / spec.line();
        Control control = new Control(1);
        Problems problems = new Problems();
        BulkLoad load = new BulkLoad(control, problems, spec.target().address(), spec.timeout().toNanos(), lines,
                warmupLines * spec.line(), payload, spec.target().tlsContext());
        load.start("bulk");
        control.ready.await();
        double cpuStart = Measure.cpuNanos();
        long start = System.nanoTime();
        control.begin(start, start);
        long last = 0;
        long lastTick = start;
        while (!control.done.await(1, TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            long bytes = load.tally.get(Count.REPLY_BYTES);
            output.progress().printf("%5ds %12s MB/s  %s of %s MB checked  errors %s%n", (now - start) / 1_000_000_000L,
                    Report.decimal((bytes - last) / 1e6 / ((now - lastTick) / 1e9), 1), Report.decimal(bytes / 1e6, 0),
                    Report.decimal(lines * spec.line() / 1e6, 0),
                    Report.count(load.tally.get(Count.ERRORS) + load.tally.get(Count.MISMATCHES) + load.tally.get(Count.RESETS)));
            last = bytes;
            lastTick = now;
        }
        double cpu = Measure.cpuNanos() - cpuStart;
        long wall = System.nanoTime() - start;

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("megabytes", spec.megabytes());
        params.put("warmup_megabytes", spec.warmupMegabytes());
        params.put("line", spec.line());
        params.put("timeout_s", seconds(spec.timeout()));
        params.put("expect", spec.expect().name());
        Report r = new Report("bulk", spec.target().name(), params);
        double seconds = load.nanos() / 1e9;
        long bytes = load.tally.get(Count.REPLY_BYTES);
        double megabytes = seconds > 0 ? load.measuredBytes() / 1e6 / seconds : 0;
        long verified = load.tally.get(Count.REPLIES);
        r.put("duration_s", Report.round(seconds, 3));
        r.put("lines", lines);
        r.put("replies", verified);
        r.put("reply_bytes", bytes);
        r.put("timed_bytes", load.measuredBytes());
        r.put("mb_per_s", Report.round(megabytes, 1));
        r.put("sent", load.tally.get(Count.SENT));
        tls(r, spec.target(), List.of(load));
        r.row("transfer", Report.count(verified) + " of " + Report.count(lines) + " lines of " + spec.line()
                + " bytes checked right, " + Report.decimal(bytes / 1e6, 1) + " MB"
                + (spec.warmupMegabytes() > 0
                        ? ", of which " + Report.decimal(load.measuredBytes() / 1e6, 1) + " MB"
                        : "")
                + " in " + Report.decimal(seconds, 2) + " s");
        r.row("throughput", Report.decimal(megabytes, 1) + " MB/s (replies, while sending concurrently)");
        r.counts(load.tally.get(Count.ERRORS), load.tally.get(Count.MISMATCHES), load.tally.get(Count.RESETS), 0, 0,
                load.tally.get(Count.CONNECT_FAILURES));
        if (verified + load.tally.get(Count.MISMATCHES) < lines && !r.failed()) {
            r.fail("only " + Report.count(verified) + " of " + Report.count(lines) + " lines were answered");
        }
        return r.finish(wall > 0 ? cpu / wall * 100 : 0, problems);
    }

    /**
     * {@code bench idle}: opens {@code connections}, holds them for {@code hold} without traffic,
     * then checks that each still answers. With a {@code serverPid} (0: none), the server's
     * resident memory is read before the first connect and once all are open.
     */
    public record IdleSpec(Target target, int connections, Duration hold, int threads, Duration timeout,
            long serverPid, Expect expect, Engine engine) {}

    public static Report idle(IdleSpec spec, Output output) throws IOException, InterruptedException {
        requireDescriptors(spec.connections());
        int threads = Math.min(spec.threads(), spec.connections());
        Payload payload = Payload.lines(64, spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<IdleLoad> loops = loadThreads(threads, t ->
                new IdleLoad(t, control, problems, spec.target().address(), spec.timeout().toNanos(),
                        pendingPerThread(threads), ids(t, threads, spec.connections()), payload, spec.engine()));
        List<Tally> tallies = loops.stream().map(l -> l.tally).toList();
        long rssBefore = spec.serverPid() > 0 ? ServerMemory.residentKiB(spec.serverPid()) : -1;
        // Opened first, so that an unwritable file fails the run before it starts; written at the end.
        IntervalLog log = openLog(output, "idle", spec.target());
        double cpuStart = Measure.cpuNanos();
        long started = System.nanoTime();
        long rssAfter = -1;
        long opened;
        try {
            for (IdleLoad loop : loops) {
                loop.start("idle");
            }
            Measure.awaitReady(control, tallies, spec.connections(), output.progress());
            opened = Tally.sum(tallies)[Count.CONNECTS.ordinal()];
            long start = System.nanoTime();
            long holdEnd = start + spec.hold().toNanos();
            // The server's memory is read near the end of the hold: by then it has accepted every connection.
            long readRss = holdEnd - Math.min(spec.hold().toNanos() / 10, TimeUnit.MILLISECONDS.toNanos(100));
            output.progress().printf("  %s connections open; holding them for %s%n", Report.count(opened),
                    Report.duration(spec.hold().toNanos()));
            control.begin(start, holdEnd);
            long nextTick = start + TimeUnit.SECONDS.toNanos(1);
            while (!control.done.await(Math.max(0, Math.min(nextTick, rssAfter < 0 ? readRss : nextTick)
                    - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                if (spec.serverPid() > 0 && rssAfter < 0 && now - readRss >= 0) {
                    rssAfter = ServerMemory.residentKiB(spec.serverPid());
                }
                if (now - nextTick >= 0) {
                    long[] counts = Tally.sum(tallies);
                    long dropped = counts[Count.ERRORS.ordinal()] + counts[Count.RESETS.ordinal()];
                    output.progress().printf("%5ds %s: %s dropped, %s answered%n", (nextTick - start) / 1_000_000_000L,
                            now - holdEnd < 0 ? "holding" : "checking", Report.count(dropped),
                            Report.count(counts[Count.REPLIES.ordinal()]));
                    nextTick += TimeUnit.SECONDS.toNanos(1);
                }
            }
        } finally {
            control.cancel();
        }
        double cpu = Measure.cpuNanos() - cpuStart;
        long wall = System.nanoTime() - started;
        long[] total = Tally.sum(tallies);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connections", spec.connections());
        params.put("hold_s", seconds(spec.hold()));
        params.put("threads", threads);
        params.put("timeout_s", seconds(spec.timeout()));
        params.put("server_pid", spec.serverPid() > 0 ? spec.serverPid() : null);
        params.put("expect", spec.expect().name());
        Report r = new Report("idle", spec.target().name(), params);
        engine(r, spec.engine());
        long held = total[Count.REPLIES.ordinal()];
        connections(r, spec.connections(), opened, total[Count.CONNECT_FAILURES.ordinal()]);
        r.put("held", held);
        r.row("held", Report.count(held) + " of " + Report.count(spec.connections())
                + " answered right after the hold");
        Histogram latency = new Histogram(1, Loop.HIGHEST, 3);
        for (IdleLoad loop : loops) {
            latency.add(loop.latency.getIntervalHistogram());
        }
        r.put("latency_us", Report.latencyMicros(latency));
        r.distribution(latency, null);
        r.row("latency (us)", Report.latencyRow(latency) + " (the line after the hold)");
        if (log != null) {
            try (log) { // one interval: the whole run, whose only timed lines are those after the hold
                log.interval(started, System.nanoTime(), latency, null);
                log.totals(total);
            }
        }
        if (spec.serverPid() > 0) {
            r.put("server_rss_kib_before", rssBefore);
            r.put("server_rss_kib_after", rssAfter);
            double perConnection = opened > 0 ? (double) (rssAfter - rssBefore) / opened : Double.NaN;
            r.put("kib_per_connection", Report.round(perConnection, 2));
            r.row("server memory", Report.count(rssBefore) + " KiB before, " + Report.count(rssAfter)
                    + " KiB at the end of the hold: " + Report.decimal(perConnection, 2) + " KiB per connection (VmRSS)");
        }
        r.counts(total[Count.ERRORS.ordinal()], total[Count.MISMATCHES.ordinal()], total[Count.RESETS.ordinal()], 0, 0,
                total[Count.CONNECT_FAILURES.ordinal()]);
        if (held < spec.connections() && !r.failed()) {
            r.fail("only " + Report.count(held) + " of " + Report.count(spec.connections()) + " connections held");
        }
        return r.finish(wall > 0 ? cpu / wall * 100 : 0, problems);
    }

    /** {@code --histogram-log}, created before anything starts: null without. */
    private static IntervalLog openLog(Output output, String scenario, Target target) throws IOException {
        return output.histogramLog() == null ? null : IntervalLog.open(output.histogramLog(), scenario, target.name());
    }

    /**
     * {@code tls}: null without TLS; with it, what the handshakes agreed on (the first one's, of
     * the first thread that finished one) and whether the certificate was verified.
     */
    static void tls(Report r, Target target, List<? extends Loop> loops) {
        if (target.tls() == null) {
            r.put("tls", null);
            return;
        }
        TlsChannel.Negotiated negotiated = loops.stream().map(l -> l.negotiated).filter(n -> n != null).findFirst()
                .orElse(null);
        boolean verified = !target.tls().settings().insecure();
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("protocol", negotiated == null ? null : negotiated.protocol());
        tls.put("cipher", negotiated == null ? null : negotiated.cipher());
        tls.put("verified", verified);
        r.put("tls", tls);
        r.row("tls", (negotiated == null ? "no handshake finished" : negotiated.protocol() + " " + negotiated.cipher())
                + (verified ? " (certificate verified)" : " (--insecure: certificate not verified)"));
    }

    /** {@code engine}: how the connections moved bytes, {@code nio} or {@code epoll}. */
    static void engine(Report r, Engine engine) {
        r.put("engine", engine.label());
        r.row("engine", engine.label());
    }

    static void connections(Report r, int wanted, long opened, long failed) {
        r.put("connections_opened", opened);
        r.row("connections", Report.count(opened) + " of " + Report.count(wanted) + " opened"
                + (failed > 0 ? ", " + Report.count(failed) + " failed" : ""));
    }

    /** Makes load thread {@code index}. */
    private interface LoadThread<L extends Loop> {
        L make(int index) throws IOException;
    }

    private static <L extends Loop> List<L> loadThreads(int threads, LoadThread<L> make) throws IOException {
        List<L> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(make.make(t));
        }
        return loops;
    }

    /** The parameters of every timed scenario (tcp, udp, connect), in the same order. */
    private static void timed(Map<String, Object> params, Timing timing, double rate, int threads, Duration timeout) {
        params.put("duration_s", seconds(timing.duration()));
        params.put("warmup_s", seconds(timing.warmup()));
        params.put("rate", rate > 0 ? rate : null);
        params.put("threads", threads);
        params.put("timeout_s", seconds(timeout));
    }

    /** With --rate (nothing without): what was asked, what was sent, and what could not be sent in time. */
    static void rate(Report r, double rate, Measure.Outcome o) {
        if (rate <= 0) {
            return;
        }
        long unsent = o.total(Count.UNSENT);
        r.put("unsent", unsent);
        r.put("send_lag_us", Report.latencyMicros(o.sendLag()));
        r.row("rate", Report.decimal(rate, 0) + "/s asked; latency counts from when each line was due"
                + (unsent > 0 ? "; " + Report.count(unsent) + " were due but never sent (the window was full)" : ""));
        r.row("send lag (us)", Report.latencyRow(o.sendLag()));
    }

    /** The ids of thread {@code t}'s share of {@code n} connections: {@code t, t + threads, ...}. */
    static int[] ids(int t, int threads, int n) {
        int[] ids = new int[(n - t + threads - 1) / threads];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = t + i * threads;
        }
        return ids;
    }

    static int pendingPerThread(int threads) {
        return Math.max(1, MAX_PENDING_CONNECTS / threads);
    }

    /** How long the reporter waits after sending stops: the reply timeout, and a little for the last checks. */
    static long drain(Duration timeout) {
        return timeout.toNanos() + Duration.ofSeconds(1).toNanos();
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /**
     * Fails with a clear message, before opening anything, when this process may not open
     * {@code connections} sockets (RLIMIT_NOFILE; the JVM raises the soft limit to the hard one).
     */
    static void requireDescriptors(int connections) throws IOException {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long max = os.getMaxFileDescriptorCount();
            long open = os.getOpenFileDescriptorCount();
            long needed = open + connections + SPARE_DESCRIPTORS;
            if (needed > max) {
                throw new IOException(Report.count(connections) + " connections need about " + Report.count(needed)
                        + " open files, and this process may open " + Report.count(max)
                        + " (ulimit -n): raise the limit or open fewer connections");
            }
        }
    }
}
