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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import upcase.nativeio.Availability;
import upcase.nativeio.NativeListenSocket;
import upcase.net.Engine;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;
import upcase.tls.ServerTls;

/**
 * The TCP uppercase server: a few event loops ({@link EventLoop}, one platform thread and one
 * poller each, as many as there are cores) share one listening socket and serve non-blocking
 * connections. Every loop accepts for itself, so a new connection never crosses threads. The
 * engine ({@link TcpServerConfig#engine}) is the JDK's NIO (a selector per loop) or epoll through
 * java.lang.foreign (an epoll instance per loop, upcase.nativeio); the connections' protocol
 * ({@link Connection}) is the same on both.
 *
 * <p>Why not a virtual thread per connection: measured here, the thread-per-connection design
 * paid an extra epoll_ctl and a poller hand-off per read and held a buffer per idle connection;
 * loops share their buffers, so an idle connection costs only its channel and a small
 * {@link Connection} (docs/PERFORMANCE.md).
 *
 * <p>TLS ({@link TcpServerConfig#tls}): a second listening socket beside the plain one, or the
 * only one, served by the same loops, so --max-connections, the counters, the drain and the
 * metrics stay one. Each loop registers every listener; a connection from the TLS one gets a
 * {@link TlsWire}. The engines' delegated tasks (key exchange, certificate checks) run on a
 * small executor of the server's own, so a slow handshake never holds a loop.
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
    /** {@link Engine#NIO} or {@link Engine#EPOLL}, never {@code AUTO}. */
    private final Engine engine;
    private final List<Listener> listeners;
    private final InetSocketAddress localAddress;
    /** Null without TLS; else the certificate in use, replaced by {@link #reloadTls}. */
    private final ServerTls tls;
    /** Null without TLS: where the TLS engines' delegated tasks run. */
    private final ExecutorService tlsTasks;
    private final TcpCounters counters = new TcpCounters();
    private final AtomicInteger open = new AtomicInteger();
    private final List<EventLoop> loops = new ArrayList<>();
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TcpServer(TcpServerConfig config, Engine engine, List<Listener> listeners, ServerTls tls) {
        this.config = config;
        this.engine = engine;
        this.listeners = listeners;
        this.localAddress = listeners.getFirst().local();
        this.tls = tls;
        // Two threads: delegated tasks are short (a signature, a certificate path check) and a
        // handshake waits for one at a time; more would compete with the loops for the cores.
        this.tlsTasks = tls == null ? null : Executors.newFixedThreadPool(2,
                Thread.ofPlatform().name("upcase-tls-task-", 0).daemon().factory());
    }

    /**
     * Binds and starts serving; returns once the server is listening and every event loop is
     * ready (an io_uring loop has its ring), or throws why one could not start, the rest closed.
     *
     * @throws upcase.tls.TlsFileException a TLS file is missing, unreadable or does not match (one line)
     */
    public static TcpServer start(TcpServerConfig config) throws IOException {
        // The files first: a bad certificate must not leave a port bound.
        ServerTls tls = config.tls() == null ? null : ServerTls.load(config.tls().files());
        Engine engine = engine(config.engine());
        List<Listener> listeners = new ArrayList<>();
        TcpServer server;
        try {
            if (config.tls() == null) {
                listeners.add(listen(config, engine, config.bind(), false));
            } else if (config.tls().bind() == null) {
                listeners.add(listen(config, engine, config.bind(), true));
            } else {
                listeners.add(listen(config, engine, config.bind(), false));
                listeners.add(listen(config, engine, config.tls().bind(), true));
            }
            server = new TcpServer(config, engine, listeners, tls);
        } catch (IOException e) {
            for (Listener l : listeners) {
                l.close();
            }
            throw e;
        }
        try {
            for (int i = 0; i < config.eventLoops(); i++) {
                server.loops.add(new EventLoop(i, server));
            }
        } catch (IOException | RuntimeException e) {
            server.loops.forEach(EventLoop::abandon);
            server.closeListeners();
            if (server.tlsTasks != null) {
                server.tlsTasks.shutdown();
            }
            if (e instanceof IOException io) { // no descriptor for an epoll instance, an eventfd, a selector
                throw new IOException("cannot start tcp engine " + engine.label() + ": " + io.getMessage(), io);
            }
            throw e;
        }
        server.loops.forEach(EventLoop::start);
        try {
            for (EventLoop loop : server.loops) {
                loop.awaitStarted();
            }
        } catch (IOException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            String local = SocketAddresses.format(server.localAddress);
            LogEvent.of(Event.SERVER_STARTED,
                    "tcp server on " + local + ": engine " + engine.label() + ", " + config.eventLoops() + " event loops, "
                            + config.transform(),
                    field("protocol", "tcp"), field("local", local), field("engine", engine.label()),
                    field("event_loops", config.eventLoops()),
                    field("transform", config.transform().toString())).log(LOG, Level.DEBUG);
        }
        return server;
    }

    /**
     * The engine to serve with: {@code auto} takes epoll where the native calls work here, else
     * NIO with one line saying why; {@code epoll} where they do not fails with that line.
     */
    private static Engine engine(Engine asked) throws IOException {
        if (asked == Engine.NIO) {
            return Engine.NIO;
        }
        if (asked == Engine.IO_URING) {
            Availability uring = Availability.ioUring();
            if (!uring.available()) {
                throw new IOException("cannot serve tcp with --engine io_uring: " + uring.reason());
            }
            return Engine.IO_URING;
        }
        Availability here = Availability.here();
        if (here.available()) {
            return Engine.EPOLL;
        }
        if (asked == Engine.EPOLL) {
            throw new IOException("cannot serve tcp with --engine epoll: " + here.reason());
        }
        LogEvent.of(Event.ENGINE_FALLBACK, "tcp engine nio: " + here.reason(),
                field("protocol", "tcp"), field("engine", Engine.NIO.label()), field("reason", here.reason())).log(LOG, Level.INFO);
        return Engine.NIO;
    }

    private static Listener listen(TcpServerConfig config, Engine engine, InetSocketAddress bind, boolean tls)
            throws IOException {
        if (engine == Engine.EPOLL || engine == Engine.IO_URING) {
            try {
                NativeListenSocket socket = NativeListenSocket.listen(bind, config.reusePort(), BACKLOG);
                return new NativeListener(socket, socket.localAddress(), tls);
            } catch (IOException e) {
                throw bindFailure(bind, tls, e);
            }
        }
        ServerSocketChannel listener;
        try {
            listener = ServerSocketChannel.open();
        } catch (IOException e) {
            throw bindFailure(bind, tls, e); // no descriptor left, most likely
        }
        try {
            // Before bind: a restarted server must get its port back while old connections sit in TIME_WAIT.
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (config.reusePort()) {
                // Several processes may then listen on this port; the kernel spreads new
                // connections across them (docs/OPERATIONS.md, several processes on one port).
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(bind, BACKLOG);
            listener.configureBlocking(false);
            return new ChannelListener(listener, (InetSocketAddress) listener.getLocalAddress(), tls);
        } catch (IOException e) {
            listener.close();
            throw bindFailure(bind, tls, e);
        }
    }

    private static BindException bindFailure(InetSocketAddress bind, boolean tls, IOException e) {
        BindException failure = new BindException("cannot listen on " + (tls ? "tls " : "tcp ")
                + SocketAddresses.format(bind) + ": " + e.getMessage());
        failure.initCause(e);
        return failure;
    }

    /** The engine serving: {@link Engine#NIO}, {@link Engine#EPOLL} or {@link Engine#IO_URING}, never {@code AUTO}. */
    public Engine engine() {
        return engine;
    }

    /** The first listener's address: the plain one, or with {@code tcp-server --tls} the TLS one. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The TLS listener's address; null without TLS. */
    public InetSocketAddress tlsAddress() {
        return listeners.stream().filter(Listener::tls).map(Listener::local).findFirst().orElse(null);
    }

    /** The plain listener's address; null when the one listener speaks TLS. */
    public InetSocketAddress plainAddress() {
        return listeners.stream().filter(l -> !l.tls()).map(Listener::local).findFirst().orElse(null);
    }

    /**
     * SIGHUP: reads the certificate and key again; new handshakes use the new pair, open
     * connections keep theirs, a bad file keeps the old pair. From any thread.
     *
     * @throws IllegalStateException without TLS
     */
    public ServerTls.Reload reloadTls() {
        if (tls == null) {
            throw new IllegalStateException("no TLS listener");
        }
        return tls.reload();
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

    List<Listener> listeners() {
        return listeners;
    }

    ServerTls tls() {
        return tls;
    }

    ExecutorService tlsTasks() {
        return tlsTasks;
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
        // Every loop has cancelled its keys by now, so the sockets are really closed once each
        // loop's next select() deregisters them: new clients are refused, not left in the backlog.
        closeListeners();
        for (EventLoop loop : loops) {
            loop.drain(deadline);
        }
        boolean interrupted = false;
        for (EventLoop loop : loops) {
            interrupted |= loop.awaitEnd(deadline + Duration.ofSeconds(2).toNanos());
        }
        if (tlsTasks != null) {
            tlsTasks.shutdownNow(); // after the loops: a handshake parked on a task is closed by now
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

    private void closeListeners() {
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                LogEvent.of(Event.CLOSE_FAILED, "closing the listener: " + e.getMessage(),
                        field("what", "listener"), field("detail", e.getMessage())).log(LOG, Level.DEBUG);
            }
        }
    }
}
