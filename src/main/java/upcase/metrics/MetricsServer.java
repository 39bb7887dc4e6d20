package upcase.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;
import upcase.tcp.TcpStats;
import upcase.udp.UdpStats;

/**
 * The {@code --metrics} listener: {@code /metrics}, {@code /health/live}, {@code /health/ready}
 * over HTTP/1.1, one request per connection. Written for hostile clients rather than on the
 * JDK's HttpServer (docs/OPERATIONS.md §Metrics explains the choice): every connection has a
 * deadline counted from accept, its request head is bounded, and at most
 * {@link MetricsConfig#maxConnections} are held; one more closes the oldest. So a crowd of slow
 * or oversized clients costs a bounded number of sockets and virtual threads, and a scraper
 * still gets its answer. None of this touches the TCP and UDP servers' threads.
 *
 * <p>Threads: one platform thread accepts; each connection is served on a virtual thread of
 * its own; one scheduler thread closes connections at their deadline. {@link #close} stops all three.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger("upcase.metrics");
    /** After the reply, what the client still sends is read and dropped, at most this much, so our close sends FIN, not RST. */
    private static final int MAX_DISCARD = 64 * 1024;

    private final MetricsConfig config;
    private final Endpoints endpoints;
    private final ServerSocket listener;
    private final InetSocketAddress localAddress;
    /** Held connections in accept order; guarded by itself. */
    private final Set<Held> held = new LinkedHashSet<>();
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private final RateLimitedLog acceptErrors = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));

    private MetricsServer(MetricsConfig config, Endpoints endpoints, ServerSocket listener) {
        this.config = config;
        this.endpoints = endpoints;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalSocketAddress();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("upcase-metrics-deadlines").daemon().factory());
        scheduler.setRemoveOnCancelPolicy(true); // a served request's deadline must not linger for 5 s
        this.deadlines = scheduler;
        this.acceptor = Thread.ofPlatform().name("upcase-metrics-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Binds and starts serving the servers' counters, the JVM's metrics and the health endpoints.
     *
     * @param tcp the TCP server's counters, or null when there is no TCP server
     * @param udp the UDP server's counters, or null when there is no UDP server
     * @param ready whether every listener accepts and no stop has begun; read per request
     */
    public static MetricsServer start(MetricsConfig config, Supplier<TcpStats> tcp, Supplier<UdpStats> udp,
            BooleanSupplier ready, String version) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ServerCollector(tcp, udp, version));
        JvmMetrics.builder().register(registry);
        return start(config, new Endpoints(registry, ready));
    }

    static MetricsServer start(MetricsConfig config, Endpoints endpoints) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true); // before bind: a restart gets its port back past TIME_WAIT
            listener.bind(config.bind(), config.maxConnections());
        } catch (IOException e) {
            listener.close();
            BindException failure = new BindException(
                    "cannot listen on metrics " + SocketAddresses.format(config.bind()) + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        MetricsServer server = new MetricsServer(config, endpoints, listener);
        server.acceptor.start();
        return server;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                // Out of descriptors: the connection stays in the backlog; give closes a moment.
                acceptErrors.log(() -> LogEvent.of(Event.ACCEPT_FAILED, "metrics: accept failed: " + e.getMessage(),
                        LogEvent.field("protocol", "http"), LogEvent.field("detail", String.valueOf(e.getMessage()))));
                pause();
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        Held connection = new Held(socket);
        Held evicted = null;
        synchronized (held) {
            if (held.size() >= config.maxConnections()) {
                Iterator<Held> oldest = held.iterator();
                evicted = oldest.next();
                oldest.remove();
            }
            held.add(connection);
        }
        if (evicted != null) {
            LOG.log(Level.DEBUG, "metrics: {0} connections held; closing the oldest, {1}",
                    config.maxConnections(), evicted);
            evicted.close();
        }
        try {
            connection.deadline = deadlines.schedule(connection::close, config.requestDeadline().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            connection.close(); // close() has begun
            return;
        }
        Thread.ofVirtual().name("upcase-metrics-request").start(() -> serve(connection));
    }

    /** On the connection's virtual thread; owns the socket's cleanup. */
    private void serve(Held connection) {
        Socket socket = connection.socket;
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Response response;
            try {
                RequestHead head = readHead(in);
                if (head == null) {
                    return; // closed before a whole request; nothing to answer
                }
                response = endpoints.answer(head);
            } catch (HttpError e) {
                LOG.log(Level.DEBUG, "metrics: {0}: {1} {2}", connection, e.status(), e.getMessage());
                response = Response.error(e);
            }
            response.writeTo(out);
            socket.shutdownOutput();
            discard(in);
        } catch (IOException e) {
            // A reset, or the deadline closed it: normal for the clients this listener is built for.
            LOG.log(Level.DEBUG, "metrics: {0}: {1}", connection, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics: " + connection + ": " + e, e);
        } finally {
            synchronized (held) {
                held.remove(connection);
            }
            connection.close();
        }
    }

    /** The request line and headers, at most maxRequestBytes; null at EOF before they end. */
    private RequestHead readHead(InputStream in) throws IOException, HttpError {
        byte[] buf = new byte[config.maxRequestBytes()];
        int length = 0;
        while (length < buf.length) {
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) {
                return null;
            }
            length += n;
            int end = RequestHead.end(buf, length);
            if (end >= 0) {
                return RequestHead.parse(buf, end);
            }
        }
        throw new HttpError(431, "request head longer than " + buf.length + " bytes");
    }

    private static void discard(InputStream in) throws IOException {
        byte[] sink = new byte[4096];
        for (int total = 0; total < MAX_DISCARD; ) {
            int n = in.read(sink);
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting, then closes every held connection (their threads' reads and writes fail
     * and they end) and the deadline thread. The accepting thread ends first, so no connection
     * is admitted after the others were closed.
     */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "metrics: closing the listener: {0}", e.getMessage());
        }
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Held[] open;
        synchronized (held) {
            open = held.toArray(Held[]::new);
            held.clear();
        }
        for (Held connection : open) {
            connection.close(); // its virtual thread's read or write then fails and it ends
        }
        deadlines.shutdownNow();
    }

    /** A connection between accept and close. */
    private static final class Held {
        final Socket socket;
        volatile ScheduledFuture<?> deadline;

        Held(Socket socket) {
            this.socket = socket;
        }

        /** From its own thread, the deadline thread, an eviction or close(); idempotent. */
        void close() {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            try {
                socket.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "metrics: close failed: {0}", e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "connection from " + SocketAddresses.format((InetSocketAddress) socket.getRemoteSocketAddress());
        }
    }
}
