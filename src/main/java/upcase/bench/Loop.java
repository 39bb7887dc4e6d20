package upcase.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One load thread: a selector over its share of the connections or sockets, its own counters
 * and its own latency recorder (both read by the reporting thread while it runs). Subclasses
 * write {@link #body}; whatever it throws is counted as an error, never lost.
 */
abstract class Loop implements Runnable {
    /** Latencies are recorded in nanoseconds, 3 significant digits, up to an hour (longer ones count as an hour). */
    static final long HIGHEST = TimeUnit.HOURS.toNanos(1);
    /** Between checks for replies that are overdue. */
    static final long HOUSEKEEPING = TimeUnit.MILLISECONDS.toNanos(100);

    final int index;
    final Control control;
    final Problems problems;
    final Tally tally = new Tally();
    final SingleWriterRecorder latency = newRecorder();
    /** With a rate: how late each line left after it was due (the generator's own delay, included in its latency). */
    final SingleWriterRecorder sendLag = newRecorder();
    /**
     * With a rate: latencies counted from when each line actually left, not from when it was due:
     * the uncorrected figure, which coordinated omission understates (histogram logs and reports
     * show both). Nothing is recorded without a rate, where the two are the same.
     */
    final SingleWriterRecorder rawLatency = newRecorder();
    final Selector selector;
    /**
     * With TLS: what this thread's first handshake agreed on, {@code TLSv1.3 TLS_AES_128_GCM_SHA256};
     * null before one finished, or without TLS. Read by the reporting thread at the end.
     */
    volatile TlsChannel.Negotiated negotiated;
    /** With a rate: when this thread's lines are due; null without one. Set by {@link #scheduled}. */
    Schedule schedule;
    /** When sending stops (System.nanoTime). Set by {@link #scheduled}. */
    long stopAt;
    private boolean signalledReady;

    Loop(int index, Control control, Problems problems) throws IOException {
        this.index = index;
        this.control = control;
        this.problems = problems;
        this.selector = Selector.open();
    }

    static SingleWriterRecorder newRecorder() {
        return new SingleWriterRecorder(1, HIGHEST, 3);
    }

    abstract void body() throws IOException, InterruptedException;

    /** Closes every channel this thread still has open. */
    abstract void closeAll();

    @Override
    public final void run() {
        try {
            body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | Error e) {
            tally.add(Count.ERRORS);
            problems.add("load thread failed: " + e);
        } finally {
            signalReady(); // whatever happened, never keep the reporter waiting
            closeAll();
            try {
                selector.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
            control.done.countDown();
        }
    }

    /** This thread's connections are open (or failed): once per thread, whatever happens. */
    void signalReady() {
        if (!signalledReady) {
            signalledReady = true;
            control.ready.countDown();
        }
    }

    Thread start(String scenario) {
        Thread t = Thread.ofPlatform().name("upcase-bench-" + scenario + "-" + index).daemon(true).unstarted(this);
        t.start();
        return t;
    }

    void record(long nanos) {
        latency.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    /** With a rate: a reply's latency from when its line left (see {@link #rawLatency}). */
    void recordRaw(long nanos) {
        rawLatency.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    void recordLag(long nanos) {
        sendLag.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
    }

    /**
     * Waits for I/O until {@code deadline} (System.nanoTime; at least a millisecond, selectors
     * count in those), or a {@link Ticker} wake-up, handing ready keys to {@code handler}.
     */
    void select(long deadline, Consumer<SelectionKey> handler) throws IOException {
        select(selector, deadline, handler);
    }

    /** {@link #select} on any selector: the NIO engines' wait. */
    static void select(Selector selector, long deadline, Consumer<SelectionKey> handler) throws IOException {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            selector.selectNow(handler);
        } else {
            selector.select(handler, Math.max(1, wait / 1_000_000));
        }
    }

    /** Makes the load thread's current or next wait return; from any thread (the {@link Ticker}'s). */
    void wakeup() {
        selector.wakeup();
    }

    /**
     * With a rate: has {@code pump} send on each unit (connection or socket) that got a line due
     * since {@code dispatched} lines were; returns how many are due now, and tells the ticker when
     * the next one will be.
     */
    static long dispatch(Schedule schedule, Ticker ticker, long dispatched, long now, int units, IntConsumer pump) {
        long due = schedule.dueTotal(now);
        if (due - dispatched >= units) {
            for (int unit = 0; unit < units; unit++) {
                pump.accept(unit);
            }
        } else {
            for (long k = dispatched; k < due; k++) {
                pump.accept((int) (k % units));
            }
        }
        ticker.nextDue(schedule.timeOf(due));
        return due;
    }

    /** The sending part of a load thread, given the ticker that wakes it when a line is due (null without a rate). */
    interface Traffic {
        void run(Ticker ticker) throws IOException;
    }

    /**
     * Once the run has begun: with a {@code rate}, sets up this thread's {@link #schedule} over
     * its {@code units} and a ticker to wake it, runs {@code traffic}, and stops the ticker.
     */
    void scheduled(double rate, int threads, int units, String scenario, Traffic traffic) throws IOException {
        stopAt = control.stopSending();
        Ticker ticker = null;
        if (rate > 0) {
            schedule = new Schedule(control.start(), rate, index, threads, units);
            ticker = Ticker.start(this::wakeup, schedule.timeOf(0), stopAt, "upcase-bench-" + scenario + "-ticker-" + index);
        }
        try {
            traffic.run(ticker);
        } finally {
            if (ticker != null) {
                ticker.stop();
            }
        }
    }

    /** Counts a failed read or write: a reset (ECONNRESET, EPIPE) or another error. */
    void failed(IOException e, String during) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("reset") || message.contains("Broken pipe")) {
            tally.add(Count.RESETS);
            problems.add(during + ": " + message);
        } else {
            tally.add(Count.ERRORS);
            problems.add(during + ": " + describe(e));
        }
    }

    /** A TLS handshake that finished: the first one says what the run negotiated. */
    void negotiated(TlsChannel tls) {
        if (negotiated == null) {
            negotiated = tls.negotiated();
        }
    }

    /** A TLS handshake that failed (the certificate refused, an alert, a hang-up): an error, with its one line. */
    void handshakeFailed(String reason) {
        tally.add(Count.ERRORS);
        problems.add(reason);
    }

    /** A connect that failed: refused, unreachable, out of ports or file descriptors. */
    void connectFailed(Exception e) {
        tally.add(Count.CONNECT_FAILURES);
        problems.add("connect: " + describe(e));
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
