package upcase.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
     */
    record Outcome(double seconds, long[] window, long[] total, Histogram latency, Histogram sendLag, double cpuPercent) {
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
    /** Per load thread: the histograms last handed back, for the recorders to reuse. */
    private final Histogram[] latencyIntervals;
    private final Histogram[] lagIntervals;

    Measure(List<? extends Loop> loops, Control control, PrintStream progress) {
        this.loops = loops;
        this.tallies = loops.stream().map(l -> l.tally).toList();
        this.control = control;
        this.progress = progress;
        this.latencyIntervals = new Histogram[loops.size()];
        this.lagIntervals = new Histogram[loops.size()];
    }

    /**
     * Runs {@code warmup + duration} nanoseconds of traffic and waits up to {@code drain} for the
     * load threads to collect the replies still owed after that. {@code connections}: how many
     * the load threads open before the traffic starts (for the progress lines).
     */
    Outcome run(String scenario, long warmup, long duration, long drain, int connections) throws InterruptedException {
        for (Loop loop : loops) {
            loop.start(scenario);
        }
        try {
            return measure(warmup, duration, drain, connections);
        } finally {
            control.cancel();
            control.done.await(5, TimeUnit.SECONDS);
        }
    }

    private Outcome measure(long warmup, long duration, long drain, int connections) throws InterruptedException {
        awaitReady(control, tallies, connections, progress);
        if (connections > 0 && Tally.sum(tallies)[Count.CONNECTS.ordinal()] == 0) {
            long[] total = Tally.sum(tallies); // no connection opened: nothing to measure
            return new Outcome(0, new long[total.length], total, cumulative, lag, 0);
        }
        long start = System.nanoTime();
        long warmupEnd = start + warmup;
        long end = warmupEnd + duration;
        control.begin(start, end);

        long windowStart = start;
        long[] baseline = new long[Count.values().length];
        double cpuStart = cpuNanos();
        boolean warming = warmup > 0;
        long[] last = baseline;
        long lastTick = start;
        long nextTick = start + SECOND;
        collect(); // allocates the interval histogram now, not at the first boundary
        while (true) {
            long target = Math.min(nextTick, warming ? warmupEnd : end);
            boolean finished = control.done.await(Math.max(0, target - System.nanoTime()), TimeUnit.NANOSECONDS);
            long now = System.nanoTime();
            if (now - nextTick >= 0) {
                collect();
                long[] counts = Tally.sum(tallies);
                progress.println(progressLine(nextTick - start, counts, last, now - lastTick, warming));
                last = counts;
                lastTick = now;
                nextTick += SECOND;
            }
            if (warming && (now - warmupEnd >= 0 || finished)) {
                baseline = Tally.sum(tallies);
                collect();
                cumulative.reset();
                lag.reset();
                cpuStart = cpuNanos();
                windowStart = now;
                warming = false;
            }
            if (now - end >= 0 || finished) {
                long[] window = minus(Tally.sum(tallies), baseline);
                collect();
                double cpu = cpuNanos() - cpuStart;
                double seconds = (now - windowStart) / 1e9;
                Histogram latency = cumulative.copy();
                control.done.await(drain, TimeUnit.NANOSECONDS);
                return new Outcome(seconds, window, Tally.sum(tallies), latency, lag.copy(),
                        seconds > 0 ? cpu / (now - windowStart) * 100 : 0);
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

    /** Adds what every load thread recorded since the last call to the cumulative histogram. */
    private void collect() {
        for (int i = 0; i < loops.size(); i++) {
            latencyIntervals[i] = loops.get(i).latency.getIntervalHistogram(latencyIntervals[i]);
            cumulative.add(latencyIntervals[i]);
            lagIntervals[i] = loops.get(i).sendLag.getIntervalHistogram(lagIntervals[i]);
            lag.add(lagIntervals[i]);
        }
    }

    private String progressLine(long elapsed, long[] counts, long[] last, long sinceLast, boolean warming) {
        double rate = (counts[Count.REPLIES.ordinal()] - last[Count.REPLIES.ordinal()]) / (sinceLast / 1e9);
        long errors = counts[Count.ERRORS.ordinal()] + counts[Count.MISMATCHES.ordinal()]
                + counts[Count.RESETS.ordinal()] + counts[Count.CONNECT_FAILURES.ordinal()];
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
