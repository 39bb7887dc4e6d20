package upcase.udp;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One serving thread's work, on one socket, whichever engine: {@link UdpServer} starts a thread
 * per loop, and stops them all. {@link #run} belongs to that thread, which owns the socket and
 * closes it when it ends; the other methods are the closing thread's.
 */
interface ServingLoop extends Runnable {
    /**
     * From the starting thread, once the loop's thread is started: returns when the loop serves,
     * or throws why it could not start (its thread has closed its socket then). A loop that is set
     * up before its thread runs (NIO's) returns at once.
     */
    default void awaitStarted() throws IOException {}

    /** Asks the loop to answer what is queued and end; returns at once. Called once. */
    void stop();

    /** Called again every 100 ms while the closing thread waits for the loop to end. */
    void nudge();

    /** The last resort once the drain deadline has passed and the loop still runs. */
    void forceClose();

    UdpStats stats();

    /** Completes with the cause if the loop ends without being asked to. */
    CompletableFuture<Throwable> broken();
}
