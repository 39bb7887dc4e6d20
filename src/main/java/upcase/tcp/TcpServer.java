package upcase.tcp;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;

/**
 * The TCP uppercase server: a named platform thread accepts, and each connection runs on its own
 * virtual thread with blocking I/O ({@link Connection}), so an idle or slow client never delays
 * another and a client that does not read is backpressured by its own blocked write.
 *
 * <p>{@link #close()} drains: it stops accepting, ends the input of every open connection so
 * each one answers what it has read and closes, and waits up to the drain timeout before it
 * closes whatever is left.
 */
public final class TcpServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    /** The kernel caps this at net.core.somaxconn; asking for more costs nothing. */
    private static final int BACKLOG = 65_535;
    private static final long MAX_ACCEPT_BACKOFF_MILLIS = 1_000;

    private final TcpServerConfig config;
    private final ServerSocket listener;
    private final InetSocketAddress localAddress;
    private final TcpCounters counters = new TcpCounters();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ThreadFactory connectionThreads = Thread.ofVirtual().name("upcase-tcp-", 1).factory();
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
    private final RateLimitedLog acceptErrors = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();
    private final Thread acceptor;
    private volatile boolean closing;

    private TcpServer(TcpServerConfig config, ServerSocket listener) {
        this.config = config;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalSocketAddress();
        this.acceptor = Thread.ofPlatform().name("upcase-tcp-acceptor").unstarted(this::acceptLoop);
    }

    /** Binds and starts serving; returns once the server is listening. */
    public static TcpServer start(TcpServerConfig config) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            // Before bind: a restarted server must get its port back while old connections sit in TIME_WAIT.
            listener.setReuseAddress(true);
            listener.bind(config.bind(), BACKLOG);
        } catch (IOException e) {
            listener.close();
            String address = SocketAddresses.format(config.bind());
            BindException failure = new BindException("cannot listen on tcp " + address + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        TcpServer server = new TcpServer(config, listener);
        server.acceptor.start();
        LOG.log(Level.DEBUG, () -> "tcp listening on " + SocketAddresses.format(server.localAddress));
        return server;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public TcpStats stats() {
        return counters.snapshot(open.size());
    }

    /** Completes with the cause if the listener breaks for good (the server then no longer accepts). */
    public CompletableFuture<Throwable> broken() {
        return broken;
    }

    /** Runs on the acceptor thread until the listener is closed or breaks. */
    private void acceptLoop() {
        long backoffMillis = 0;
        while (!closing) {
            Socket socket;
            try {
                socket = listener.accept();
                backoffMillis = 0;
            } catch (IOException e) {
                if (closing || listener.isClosed()) {
                    return;
                }
                // Out of descriptors (EMFILE) or memory: the pending connection stays in the backlog;
                // wait for open connections to close rather than spin on the same error.
                backoffMillis = Math.min(Math.max(10, backoffMillis * 2), MAX_ACCEPT_BACKOFF_MILLIS);
                acceptErrors.log("accept failed on " + SocketAddresses.format(localAddress) + ": " + e.getMessage()
                        + "; retrying in " + backoffMillis + "ms");
                if (!pause(backoffMillis)) {
                    return;
                }
                continue;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "tcp listener on " + SocketAddresses.format(localAddress) + " broke", e);
                broken.complete(e);
                closeQuietly(listener);
                return;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        if (open.size() >= config.maxConnections()) {
            counters.refused();
            refusals.log("refused a connection from " + SocketAddresses.format((InetSocketAddress) socket.getRemoteSocketAddress())
                    + ": " + config.maxConnections() + " connections are open (--max-connections)");
            closeQuietly(socket);
            return;
        }
        counters.accepted();
        Connection connection = new Connection(socket, config, counters, open::remove);
        open.add(connection);
        connection.start(connectionThreads);
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting, lets open connections finish within the drain timeout, then closes the rest. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        closeQuietly(listener);
        joinUninterruptibly(acceptor, Duration.ofSeconds(5));
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        for (Connection c : open) {
            c.finishInput();
        }
        for (Connection c : open) {
            c.awaitUntil(deadline);
        }
        for (Connection c : open) {
            LOG.log(Level.DEBUG, () -> "drain timeout: closing " + c);
            c.abort();
        }
        long grace = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        for (Connection c : open) {
            c.awaitUntil(grace);
        }
        LOG.log(Level.DEBUG, "tcp server on {0} stopped", SocketAddresses.format(localAddress));
    }

    private static void joinUninterruptibly(Thread thread, Duration timeout) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (thread.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close failed: {0}", e.getMessage());
        }
    }
}
