package upcase.bench;

import java.util.concurrent.CountDownLatch;

/**
 * How the reporting thread and the load threads agree on the phases of a run: each load thread
 * opens its connections and counts down {@link #ready}; the reporter then sets the start and the
 * end of sending and opens {@link #go}; each load thread counts down {@link #done} when it has
 * stopped (after draining). {@link #cancel} ends everything early.
 */
final class Control {
    final CountDownLatch ready;
    final CountDownLatch done;
    private final CountDownLatch go = new CountDownLatch(1);
    private volatile long start;
    private volatile long stopSending;
    private volatile boolean cancelled;

    Control(int threads) {
        ready = new CountDownLatch(threads);
        done = new CountDownLatch(threads);
    }

    /** Reporter: traffic starts at {@code start} and no new line is sent from {@code stopSending} on (System.nanoTime). */
    void begin(long start, long stopSending) {
        this.start = start;
        this.stopSending = stopSending;
        go.countDown();
    }

    /** Load thread: waits for {@link #begin}; false if the run was cancelled instead. */
    boolean awaitBegin() throws InterruptedException {
        go.await();
        return !cancelled;
    }

    long start() {
        return start;
    }

    long stopSending() {
        return stopSending;
    }

    boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
        go.countDown();
    }
}
