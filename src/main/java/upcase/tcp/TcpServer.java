package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/**
 * The TCP uppercase server: a few event loops ({@link EventLoop}, one platform thread and one
 * selector each, as many as there are cores) share one listening socket and serve non-blocking
 * connections. Every loop accepts for itself, so a new connection never crosses threads.
 *
 * <p>Why not a virtual thread per connection: measured here, the thread-per-connection design
 * paid an extra epoll_ctl and a poller hand-off per read and held a buffer per idle connection;
 * loops share their buffers, so an idle connection costs only its channel and a small
 * {@link Connection} (docs/PERFORMANCE.md).
 *
 * <p>{@link #close()} drains: it stops accepting, answers every byte each connection has
 * received, closes each connection once its replies are out, and after the drain timeout
 * closes whatever is left.
 */
public final class TcpServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    /** The kernel caps this at net.core.somaxconn; asking for more costs nothing. */
    private static final int BACKLOG = 65_535;

    private final TcpServerConfig config;
    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private final TcpCounters counters = new TcpCounters();
    private final AtomicInteger open = new AtomicInteger();
    private final List<EventLoop> loops = new ArrayList<>();
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpServer(TcpServerConfig config, ServerSocketChannel listener) throws IOException {
        this.config = config;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
    }

    /** Binds and starts serving; returns once the server is listening. */
    public static TcpServer start(TcpServerConfig config) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        TcpServer server;
        try {
            // Before bind: a restarted server must get its port back while old connections sit in TIME_WAIT.
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (config.reusePort()) {
                // Several processes may then listen on this port; the kernel spreads new
                // connections across them (docs/OPERATIONS.md, several processes on one port).
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(config.bind(), BACKLOG);
            listener.configureBlocking(false);
            server = new TcpServer(config, listener);
        } catch (IOException e) {
            listener.close();
            BindException failure = new BindException(
                    "cannot listen on tcp " + SocketAddresses.format(config.bind()) + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        try {
            for (int i = 0; i < config.eventLoops(); i++) {
                server.loops.add(new EventLoop(i, server));
            }
        } catch (IOException | RuntimeException e) {
            server.loops.forEach(EventLoop::abandon);
            listener.close();
            throw e;
        }
        server.loops.forEach(EventLoop::start);
        if (LOG.isLoggable(Level.DEBUG)) {
            String local = SocketAddresses.format(server.localAddress);
            LogEvent.of(Event.SERVER_STARTED,
                    "tcp server on " + local + ": " + config.eventLoops() + " event loops, " + config.transform(),
                    field("protocol", "tcp"), field("local", local), field("event_loops", config.eventLoops()),
                    field("transform", config.transform().toString())).log(LOG, Level.DEBUG);
        }
        return server;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public TcpStats stats() {
        return counters.snapshot(open.get());
    }

    /** Completes with the cause if an event loop breaks (the server then stops serving). */
    public CompletableFuture<Throwable> broken() {
        return broken;
    }

    public TcpServerConfig config() {
        return config;
    }

    ServerSocketChannel listener() {
        return listener;
    }

    TcpCounters counters() {
        return counters;
    }

    /** From any loop, when it accepts: reserves a place, or returns false when the limit is reached. */
    boolean reserve() {
        while (true) {
            int now = open.get();
            if (now >= config.maxConnections()) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** From any loop, when a connection closes. */
    void release() {
        open.decrementAndGet();
    }

    /** From a loop that cannot go on. */
    void loopBroke(Throwable cause) {
        broken.complete(cause);
    }

    /** Stops accepting, lets open connections finish within the drain timeout, then closes the rest. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        for (EventLoop loop : loops) {
            loop.stopAccepting();
        }
        try {
            // Every loop has cancelled its key by now, so the socket is really closed once each
            // loop's next select() deregisters it: new clients are refused, not left in the backlog.
            listener.close();
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "closing the listener: " + e.getMessage(),
                    field("what", "listener"), field("detail", e.getMessage())).log(LOG, Level.DEBUG);
        }
        for (EventLoop loop : loops) {
            loop.drain(deadline);
        }
        boolean interrupted = false;
        for (EventLoop loop : loops) {
            interrupted |= loop.awaitEnd(deadline + Duration.ofSeconds(2).toNanos());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            String local = SocketAddresses.format(localAddress);
            LogEvent.of(Event.SERVER_STOPPED, "tcp server on " + local + " stopped",
                    field("protocol", "tcp"), field("local", local)).log(LOG, Level.DEBUG);
        }
    }
}
