package upcase.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * With {@code --rate}: wakes a load thread's selector (or epoll instance) when its next line is due and it has not
 * noticed. The load thread itself waits in its selector, so replies are read the moment they
 * arrive; were it to park until the next line is due instead, every reply arriving meanwhile would
 * wait too, and look slower. Selectors only time out in whole milliseconds, too coarse for lines
 * due every few microseconds.
 *
 * <p>The load thread publishes when its next line is due ({@link #nextDue}); a busy load thread
 * sends its lines on time by itself and is not woken. A parked thread wakes up to about 50 us
 * late (the kernel's timer slack), so a line can leave that much after it was due; the delay is
 * measured (send lag) and counts in the line's latency (docs/BENCH.md).
 */
final class Ticker implements Runnable {
    /** After a wake-up, time the load thread gets to send before it is woken again. */
    static final long MIN_GAP = 20_000;

    /** Wakes the load thread's wait: its selector's or its epoll instance's wakeup, safe from this thread. */
    private final Runnable wake;
    private final long stopAt;
    private volatile long nextDue;
    private volatile boolean stopped;

    private Ticker(Runnable wake, long firstDue, long stopAt) {
        this.wake = wake;
        this.nextDue = firstDue;
        this.stopAt = stopAt;
    }

    static Ticker start(Runnable wake, long firstDue, long stopAt, String name) {
        Ticker ticker = new Ticker(wake, firstDue, stopAt);
        Thread.ofPlatform().name(name).daemon(true).start(ticker);
        return ticker;
    }

    /** Load thread: every line due before {@code time} has been handled. */
    void nextDue(long time) {
        nextDue = time;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long now;
        while (!stopped && (now = System.nanoTime()) - stopAt < 0) {
            long due = nextDue;
            if (now - due < 0) {
                LockSupport.parkNanos(Math.min(due, stopAt) - now);
            } else {
                wake.run();
                LockSupport.parkNanos(MIN_GAP);
            }
        }
    }
}
