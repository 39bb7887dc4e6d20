package upcase.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The reporting side of a timed run (tcp, udp, connect): starts the load threads, waits for
 * their connections, starts the traffic, prints one progress line per second, and takes the
 * measured window: from the end of the warm-up to the end of sending. Replies, bytes and latency
 * count inside the window only; every error, mismatch, reset and loss counts over the whole run,
 * warm-up and drain included.
 */
final class Measure {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /**
     * What one run measured.
     *
     * @param seconds the measured window's length
     * @param window counts inside the window, by {@link Count#ordinal()}
     * @param total counts over the whole run
     * @param latency the latencies recorded inside the window, in nanoseconds
     * @param sendLag with a rate, how late lines left after they were due, inside the window
     * @param cpuPercent this process's CPU time inside the window, in percent of one core
     * @param rawLatency with a rate, the window's latencies counted from when each line left; null without
     * @param samples one per progress second, warm-up included
     */
    record Outcome(double seconds, long[] window, long[] total, Histogram latency, Histogram sendLag, double cpuPercent,
            Histogram rawLatency, List<Sample> samples) {
        long window(Count c) {
            return window[c.ordinal()];
        }

        long total(Count c) {
            return total[c.ordinal()];
        }
    }

    private final List<? extends Loop> loops;
    private final List<Tally> tallies;
    private final Control control;
    private final PrintStream progress;
    private final Histogram cumulative = new Histogram(1, Loop.HIGHEST, 3);
    private final Histogram lag = new Histogram(1, Loop.HIGHEST, 3);
    private final Histogram rawCumulative = new Histogram(1, Loop.HIGHEST, 3);
    /** Since the last {@link #collect}: one interval of the histogram log. */
    private final Histogram pending = new Histogram(1, Loop.HIGHEST, 3);
    private final Histogram rawPending = new Histogram(1, Loop.HIGHEST, 3);
    /** Since the last progress line: its second's p99. */
    private final Histogram second = new Histogram(1, Loop.HIGHEST, 3);
    /** Per load thread: the histograms last handed back, for the recorders to reuse. */
    private final Histogram[] latencyIntervals;
    private final Histogram[] lagIntervals;
    private final Histogram[] rawIntervals;
    private final List<Sample> samples = new ArrayList<>();
    /** With a rate, the uncorrected latencies are kept too. */
    private final boolean rated;
    /** {@code --histogram-log}; null without. */
    private final IntervalLog log;
    private boolean warming;
    private long lastCollect;

    /** {@code rated}: whether the run has a rate (then the uncorrected latencies are kept too); {@code log} may be null. */
    Measure(List<? extends Loop> loops, Control control, PrintStream progress, boolean rated, IntervalLog log) {
        this.loops = loops;
        this.tallies = loops.stream().map(l -> l.tally).toList();
        this.control = control;
        this.progress = progress;
        this.latencyIntervals = new Histogram[loops.size()];
        this.lagIntervals = new Histogram[loops.size()];
        this.rawIntervals = new Histogram[loops.size()];
        this.rated = rated;
        this.log = log;
    }

    /**
     * Runs {@code warmup + duration} nanoseconds of traffic and waits up to {@code drain} for the
     * load threads to collect the replies still owed after that. {@code connections}: how many
     * the load threads open before the traffic starts (for the progress lines).
     */
    Outcome run(String scenario, long warmup, long duration, long drain, int connections)
            throws InterruptedException, IOException {
        for (Loop loop : loops) {
            loop.start(scenario);
        }
        Outcome outcome = null;
        try {
            outcome = measure(warmup, duration, drain, connections);
            return outcome;
        } finally {
            control.cancel();
            control.done.await(5, TimeUnit.SECONDS);
            if (log != null) {
                try (log) {
                    if (outcome != null) {
                        log.totals(outcome.total());
                    }
                }
            }
        }
    }

    private Outcome measure(long warmup, long duration, long drain, int connections) throws InterruptedException {
        awaitReady(control, tallies, connections, progress);
        if (connections > 0 && Tally.sum(tallies)[Count.CONNECTS.ordinal()] == 0) {
            long[] total = Tally.sum(tallies); // no connection opened: nothing to measure
            return new Outcome(0, new long[total.length], total, cumulative, lag, 0, rated ? rawCumulative : null,
                    samples);
        }
        long start = System.nanoTime();
        long warmupEnd = start + warmup;
        long end = warmupEnd + duration;
        control.begin(start, end);

        long windowStart = start;
        long[] baseline = new long[Count.values().length];
        double cpuStart = cpuNanos();
        warming = warmup > 0;
        long[] last = baseline;
        long lastTick = start;
        long nextTick = start + SECOND;
        lastCollect = start;
        // Allocates the interval histogram now, not at the first boundary; the load threads have
        // begun, so without a warm-up this may already collect a first reply, for the window.
        collect(System.nanoTime());
        while (true) {
            long target = Math.min(nextTick, warming ? warmupEnd : end);
            boolean finished = control.done.await(Math.max(0, target - System.nanoTime()), TimeUnit.NANOSECONDS);
            long now = System.nanoTime();
            if (now - nextTick >= 0) {
                collect(now);
                long[] counts = Tally.sum(tallies);
                progress.println(progressLine(nextTick - start, counts, last, now - lastTick, warming));
                // Stamped with the second it ends (1, 2, ...) like its progress line, not the
                // wake-up (a loaded host wakes late: 1.004 took the report's axis off whole seconds);
                // the rate divides by the time the second really took.
                samples.add(sample((nextTick - start) / 1e9, counts, last, now - lastTick));
                last = counts;
                lastTick = now;
                nextTick += SECOND;
            }
            if (warming && (now - warmupEnd >= 0 || finished)) {
                baseline = Tally.sum(tallies);
                collect(now);
                cumulative.reset();
                lag.reset();
                rawCumulative.reset();
                cpuStart = cpuNanos();
                windowStart = now;
                warming = false;
            }
            if (now - end >= 0 || finished) {
                long[] window = minus(Tally.sum(tallies), baseline);
                collect(now);
                double cpu = cpuNanos() - cpuStart;
                double seconds = (now - windowStart) / 1e9;
                Histogram latency = cumulative.copy();
                Histogram raw = rated ? rawCumulative.copy() : null;
                control.done.await(drain, TimeUnit.NANOSECONDS);
                return new Outcome(seconds, window, Tally.sum(tallies), latency, lag.copy(),
                        seconds > 0 ? cpu / (now - windowStart) * 100 : 0, raw, List.copyOf(samples));
            }
        }
    }

    /** Waits for the load threads to open their connections, with a progress line each second. */
    static void awaitReady(Control control, List<Tally> tallies, int connections, PrintStream progress)
            throws InterruptedException {
        while (!control.ready.await(1, TimeUnit.SECONDS)) {
            long[] now = Tally.sum(tallies);
            progress.printf("  connecting: %s of %s open, %s failed%n", Report.count(now[Count.CONNECTS.ordinal()]),
                    Report.count(connections), Report.count(now[Count.CONNECT_FAILURES.ordinal()]));
        }
    }

    /**
     * Adds what every load thread recorded since the last call to the cumulative histograms and,
     * inside the window, writes it to the histogram log as the interval that ends {@code now}.
     */
    private void collect(long now) {
        for (int i = 0; i < loops.size(); i++) {
            Loop loop = loops.get(i);
            latencyIntervals[i] = loop.latency.getIntervalHistogram(latencyIntervals[i]);
            cumulative.add(latencyIntervals[i]);
            pending.add(latencyIntervals[i]);
            second.add(latencyIntervals[i]);
            lagIntervals[i] = loop.sendLag.getIntervalHistogram(lagIntervals[i]);
            lag.add(lagIntervals[i]);
            if (rated) {
                rawIntervals[i] = loop.rawLatency.getIntervalHistogram(rawIntervals[i]);
                rawCumulative.add(rawIntervals[i]);
                rawPending.add(rawIntervals[i]);
            }
        }
        if (log != null && !warming && (now - lastCollect > 0 || pending.getTotalCount() > 0)) {
            log.interval(lastCollect, now, pending, rated ? rawPending : null);
        }
        pending.reset();
        rawPending.reset();
        lastCollect = now;
    }

    /** The progress second that ends now; resets the second's histogram. */
    private Sample sample(double seconds, long[] counts, long[] last, long sinceLast) {
        double rate = (counts[Count.REPLIES.ordinal()] - last[Count.REPLIES.ordinal()]) / (sinceLast / 1e9);
        long p99 = second.getTotalCount() == 0 ? -1 : second.getValueAtPercentile(99);
        second.reset();
        return new Sample(seconds, warming, rate, p99, errors(counts) - errors(last),
                counts[Count.LOST.ordinal()] - last[Count.LOST.ordinal()],
                counts[Count.LATE.ordinal()] - last[Count.LATE.ordinal()]);
    }

    /** What the progress line counts as errors: errors, mismatches, resets and failed connects. */
    private static long errors(long[] counts) {
        return counts[Count.ERRORS.ordinal()] + counts[Count.MISMATCHES.ordinal()]
                + counts[Count.RESETS.ordinal()] + counts[Count.CONNECT_FAILURES.ordinal()];
    }

    private String progressLine(long elapsed, long[] counts, long[] last, long sinceLast, boolean warming) {
        double rate = (counts[Count.REPLIES.ordinal()] - last[Count.REPLIES.ordinal()]) / (sinceLast / 1e9);
        long errors = errors(counts);
        String p99 = cumulative.getTotalCount() == 0 ? "-" : Report.latency(cumulative.getValueAtPercentile(99));
        String line = String.format("%5ds %-7s %12s replies/s  p99 %9s  errors %s", elapsed / SECOND,
                warming ? "warmup" : "", Report.count(Math.round(rate)), p99, Report.count(errors));
        long lost = counts[Count.LOST.ordinal()];
        return lost > 0 ? line + "  lost " + Report.count(lost) : line;
    }

    private static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** This process's CPU time so far, all threads (the JIT and GC included), in nanoseconds. */
    static double cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return Double.NaN;
    }
}
