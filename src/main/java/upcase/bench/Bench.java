package upcase.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import upcase.text.UpperCase;

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

    /** Where the server is, and how to name it in reports. */
    public record Target(InetSocketAddress address, String name) {}

    /** What replies are expected: the transform, and whether lines carry two-byte letters too. */
    public record Expect(UpperCase transform, boolean utf8) {
        String name() {
            return (transform == UpperCase.ascii() ? "ascii" : "unicode") + (utf8 ? ", utf8 text" : "");
        }
    }

    /** How long to load: a warm-up, then the measured window. */
    public record Timing(Duration duration, Duration warmup) {}

    /** {@code bench tcp}: {@code rate} lines per second in total, or 0 for as fast as the window allows. */
    public record TcpSpec(Target target, int connections, int depth, int size, Timing timing, double rate, int threads,
            Duration timeout, Expect expect) {}

    public static Report tcp(TcpSpec spec, PrintStream progress) throws IOException, InterruptedException {
        requireDescriptors(spec.connections());
        int threads = Math.min(spec.threads(), spec.connections());
        Payload payload = Payload.lines(spec.size(), spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<TcpLoad> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(new TcpLoad(t, threads, control, problems, spec.target().address(), spec.timeout().toNanos(),
                    pendingPerThread(threads), ids(t, threads, spec.connections()), payload, spec.depth(), spec.rate()));
        }
        Measure.Outcome o = new Measure(loops, control, progress).run("tcp", spec.timing().warmup().toNanos(),
                spec.timing().duration().toNanos(), drain(spec.timeout()), spec.connections());

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("connections", spec.connections());
        params.put("depth", spec.depth());
        params.put("size", spec.size());
        params.put("duration_s", seconds(spec.timing().duration()));
        params.put("warmup_s", seconds(spec.timing().warmup()));
        params.put("rate", spec.rate() > 0 ? spec.rate() : null);
        params.put("threads", threads);
        params.put("timeout_s", seconds(spec.timeout()));
        params.put("expect", spec.expect().name());
        Report r = new Report("tcp", spec.target().name(), params);
        connections(r, spec.connections(), o.total(Count.CONNECTS), o.total(Count.CONNECT_FAILURES));
        r.measured(o);
        if (spec.rate() > 0) {
            rate(r, spec.rate(), o);
        }
        return r.finish(o.cpuPercent(), problems);
    }

    /**
     * {@code bench udp}: {@code maxLossPercent} of the datagrams sent may go unanswered within the
     * timeout before the run fails.
     */
    public record UdpSpec(Target target, int sockets, int depth, int size, Timing timing, double rate, int threads,
            Duration timeout, double maxLossPercent, Expect expect) {}

    public static Report udp(UdpSpec spec, PrintStream progress) throws IOException, InterruptedException {
        requireDescriptors(spec.sockets());
        int threads = Math.min(spec.threads(), spec.sockets());
        Payload payload = Payload.datagrams(spec.size(), spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<UdpLoad> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(new UdpLoad(t, threads, control, problems, spec.target().address(), spec.timeout().toNanos(),
                    ids(t, threads, spec.sockets()), payload, spec.depth(), spec.rate()));
        }
        Measure.Outcome o = new Measure(loops, control, progress).run("udp", spec.timing().warmup().toNanos(),
                spec.timing().duration().toNanos(), drain(spec.timeout()), 0);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sockets", spec.sockets());
        params.put("depth", spec.depth());
        params.put("size", spec.size());
        params.put("duration_s", seconds(spec.timing().duration()));
        params.put("warmup_s", seconds(spec.timing().warmup()));
        params.put("rate", spec.rate() > 0 ? spec.rate() : null);
        params.put("threads", threads);
        params.put("timeout_s", seconds(spec.timeout()));
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
        if (spec.rate() > 0) {
            rate(r, spec.rate(), o);
        }
        return r.finish(o.cpuPercent(), problems);
    }

    /** {@code bench connect}: {@code concurrency} workers, each connecting anew for every line. */
    public record ConnectSpec(Target target, int concurrency, int size, Timing timing, int threads, Duration timeout,
            Expect expect) {}

    public static Report connect(ConnectSpec spec, PrintStream progress) throws IOException, InterruptedException {
        requireDescriptors(spec.concurrency());
        int threads = Math.min(spec.threads(), spec.concurrency());
        Payload payload = Payload.lines(spec.size(), spec.expect().utf8(), spec.expect().transform());
        Control control = new Control(threads);
        Problems problems = new Problems();
        List<ConnectLoad> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            loops.add(new ConnectLoad(t, control, problems, spec.target().address(), spec.timeout().toNanos(),
                    ids(t, threads, spec.concurrency()), payload));
        }
        Measure.Outcome o = new Measure(loops, control, progress).run("connect", spec.timing().warmup().toNanos(),
                spec.timing().duration().toNanos(), drain(spec.timeout()), 0);

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("concurrency", spec.concurrency());
        params.put("size", spec.size());
        params.put("duration_s", seconds(spec.timing().duration()));
        params.put("warmup_s", seconds(spec.timing().warmup()));
        params.put("threads", threads);
        params.put("timeout_s", seconds(spec.timeout()));
        params.put("expect", spec.expect().name());
        Report r = new Report("connect", spec.target().name(), params);
        long connects = o.window(Count.CONNECTS);
        double perSecond = o.seconds() > 0 ? connects / o.seconds() : 0;
        r.put("connects", connects);
        r.put("connects_per_s", Report.round(perSecond, 1));
        r.row("connects", Report.count(connects) + "   " + Report.decimal(perSecond, 1)
                + "/s (one line each; latency is connect to reply)");
        r.measured(o);
        return r.finish(o.cpuPercent(), problems);
    }

    static void connections(Report r, int wanted, long opened, long failed) {
        r.put("connections_opened", opened);
        r.row("connections", Report.count(opened) + " of " + Report.count(wanted) + " opened"
                + (failed > 0 ? ", " + Report.count(failed) + " failed" : ""));
    }

    /** With --rate: what was asked, what was sent, and what could not be sent in time. */
    static void rate(Report r, double rate, Measure.Outcome o) {
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
