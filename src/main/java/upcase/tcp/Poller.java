package upcase.tcp;

import java.io.IOException;
import java.util.List;

/**
 * How an {@link EventLoop} waits for readiness and accepts: the JDK's selector
 * ({@link SelectorPoller}) or an epoll instance of its own ({@link EpollPoller}). It reports to
 * its loop by {@link EventLoop#accept} and {@link EventLoop#ready}; everything the engines share
 * (the drain, the idle scan, handshake deadlines, accept backoff, refusals, counters, the task
 * queue) stays in the loop. Every method runs on the loop thread, except {@link #wakeup} (any
 * thread) and {@link #close} (the loop thread at its end, or the starting thread of a loop that
 * never ran).
 */
interface Poller {
    /** On the loop thread, before the first {@link #poll}. */
    void start() throws IOException;

    /** Waits up to {@code timeoutMillis} for readiness and reports each event to the loop. */
    void poll(long timeoutMillis) throws IOException;

    /** Makes the current or next {@link #poll} return at once. */
    void wakeup();

    /**
     * Takes one connection from {@code listener}'s queue, or returns null when it is empty.
     *
     * @throws IOException out of descriptors or memory: the loop backs off
     */
    Wire accept(Listener listener) throws IOException;

    /** Starts reporting readiness to read for {@code c}, whose wire came from {@link #accept}. */
    void register(Wire wire, Connection c) throws IOException;

    /** Backoff: no accept events until {@link #resumeAccepting}. */
    void pauseAccepting();

    void resumeAccepting();

    /** For good: the listeners are about to close. */
    void stopAccepting();

    /** The open connections, as a copy that closing them does not disturb. */
    List<Connection> connections();

    /** Releases the poller's own resources; the connections are closed by then. */
    void close();
}
