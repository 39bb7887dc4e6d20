package upcase.udp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import upcase.nativeio.Availability;
import upcase.net.Engine;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/**
 * The UDP uppercase server: every datagram is answered with its transformed bytes, exactly
 * those, to the address and port it came from. On the NIO engine one platform thread serves a
 * blocking socket ({@link ReplyLoop}); on the native engine each of {@code threads} platform
 * threads serves its own socket on the port, in batches ({@link NativeReplyLoop}, {@link NativeEngine}).
 *
 * <pre>{@code
 * try (UdpServer server = UdpServer.start(new UdpServerConfig(bind, UpperCase.unicode()))) {
 *     ... server.localAddress(), server.stats() ...
 * }
 * }</pre>
 */
public final class UdpServer implements AutoCloseable {
    private static final Logger LOG = System.getLogger("upcase.udp");
    /**
     * Requested socket buffer sizes: room for bursts while the thread is busy. Linux caps the
     * request at net.core.rmem_max / wmem_max without complaint.
     */
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final UdpServerConfig config;
    private final InetSocketAddress localAddress;
    private final Engine engine;
    private final List<ServingLoop> loops;
    private final List<Thread> threads;
    private final CompletableFuture<Throwable> broken = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** close() had to close the socket under the serving thread (the stop marker never came back). */
    private volatile boolean forcedToStop;

    private UdpServer(UdpServerConfig config, InetSocketAddress localAddress, Engine engine, List<ServingLoop> loops) {
        this.config = config;
        this.localAddress = localAddress;
        this.engine = engine;
        this.loops = List.copyOf(loops);
        this.threads = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            threads.add(Thread.ofPlatform().name(loops.size() == 1 ? "upcase-udp" : "upcase-udp-" + i).unstarted(loops.get(i)));
        }
        for (ServingLoop loop : loops) {
            loop.broken().thenAccept(broken::complete);
        }
    }

    /**
     * A server whose loops' threads are started and serve; each loop owns its socket from then on.
     * If one cannot start (an io_uring ring refused), the others are stopped and its failure thrown.
     */
    static UdpServer started(UdpServerConfig config, InetSocketAddress local, Engine engine, List<ServingLoop> loops)
            throws IOException {
        return new UdpServer(config, local, engine, loops).startThreads();
    }

    /** Starts every loop's thread and waits until each serves. */
    private UdpServer startThreads() throws IOException {
        threads.forEach(Thread::start);
        try {
            for (ServingLoop loop : loops) {
                loop.awaitStarted();
            }
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * Binds and starts serving. Datagrams that arrive from the moment this returns are queued by
     * the kernel and answered. The serving thread is not a daemon: a started server keeps the JVM
     * running until {@link #close()}.
     *
     * @throws BindException if the address cannot be bound; the message names it
     */
    public static UdpServer start(UdpServerConfig config) throws IOException {
        Engine engine = config.engine();
        if (engine == Engine.NIO) {
            return startNio(config);
        }
        Availability nativeEngine = engine == Engine.IO_URING ? Availability.ioUring() : Availability.here();
        String refusal = !nativeEngine.available() ? nativeEngine.reason()
                : config.faults().delays() ? "--delay and --jitter are served by the nio engine" : null;
        if (refusal == null) {
            return NativeEngine.start(config, engine == Engine.IO_URING ? Engine.IO_URING : Engine.EPOLL);
        }
        if (engine != Engine.AUTO && !nativeEngine.available()) {
            throw new IOException("cannot serve udp with --engine " + engine.label() + ": " + refusal);
        }
        // One line, so that an operator who expected the native engine learns why not.
        LogEvent.of(Event.ENGINE_FALLBACK, "udp engine nio: " + refusal,
                field("protocol", "udp"), field("engine", Engine.NIO.label()), field("reason", refusal)).log(LOG, Level.INFO);
        return startNio(config);
    }

    /** The NIO engine: one blocking channel, one thread ({@link ReplyLoop}). */
    private static UdpServer startNio(UdpServerConfig config) throws IOException {
        InetSocketAddress bind = config.bind();
        DatagramChannel channel;
        try {
            channel = DatagramChannel.open(familyOf(bind));
        } catch (UnsupportedOperationException e) {
            // No IPv6 on this host: the wildcard still means every (IPv4) interface.
            if (!bind.getAddress().isAnyLocalAddress()) {
                throw bindFailure(bind, "IPv6 is not available", e);
            }
            bind = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), bind.getPort());
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
        } catch (IOException e) {
            throw bindFailure(bind, e.getMessage(), e); // no descriptor left, most likely
        }
        DatagramChannel marker = null;
        DelayedReplies delayed = null;
        try {
            // No SO_REUSEADDR: UDP has no TIME_WAIT to get past, and on Linux two UDP sockets
            // that both set it may bind the same port, the newer one silently taking the
            // traffic. Without it a second server on a busy port fails to start, as it should.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            if (config.reusePort()) {
                // Unlike SO_REUSEADDR above, SO_REUSEPORT is asked for by every process that
                // shares the port (same user), and the kernel spreads datagrams across them by
                // a hash of the source: a client's datagrams all go to one process.
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            bind(channel, bind);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            InetSocketAddress markerTarget = null;
            IOException noMarker = null;
            for (InetSocketAddress target : markerTargets(local)) {
                try {
                    marker = DatagramChannel.open(familyOf(target));
                    marker.bind(new InetSocketAddress(target.getAddress(), 0));
                    markerTarget = target;
                    break;
                } catch (IOException | UnsupportedOperationException e) {
                    if (marker != null) {
                        marker.close();
                        marker = null;
                    }
                    noMarker = e instanceof IOException io ? io : new IOException(e);
                }
            }
            if (markerTarget == null) {
                throw bindFailure(bind, "no loopback address to stop it with (" + noMarker.getMessage() + ")", noMarker);
            }
            delayed = config.faults().delays() ? new DelayedReplies(channel) : null;
            ReplyLoop loop = new ReplyLoop(channel, marker, markerTarget, config, local.getPort(), delayed);
            UdpServer server = new UdpServer(config, local, Engine.NIO, List.of(loop));
            // DEBUG, like the TCP server: the command line prints its own "udp listening on" line.
            // The buffer sizes are what the kernel granted, which may be less than asked.
            int receiveBuffer = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            int sendBuffer = channel.getOption(StandardSocketOptions.SO_SNDBUF);
            if (LOG.isLoggable(Level.DEBUG)) {
                String address = SocketAddresses.format(local);
                LogEvent.of(Event.SERVER_STARTED, "udp server on " + address + " (" + config.transform()
                                + ", socket buffers " + receiveBuffer + " bytes in, " + sendBuffer + " out)",
                        field("protocol", "udp"), field("local", address), field("transform", config.transform().toString()),
                        field("receive_buffer_bytes", receiveBuffer), field("send_buffer_bytes", sendBuffer))
                        .log(LOG, Level.DEBUG);
            }
            if (delayed != null) {
                delayed.start(); // ended by the reply loop, on its way out (ReplyLoop.run)
            }
            return server.startThreads();
        } catch (Throwable e) {
            if (delayed != null) {
                delayed.finish(System.nanoTime()); // its thread, if started, holds nothing yet and ends
            }
            channel.close();
            if (marker != null) {
                marker.close();
            }
            throw e;
        }
    }

    /**
     * Where the stop marker may be sent, in order: the bound address, or for a wildcard the
     * loopback address of IPv4 (which a dual-stack socket also receives), then of IPv6.
     */
    private static List<InetSocketAddress> markerTargets(InetSocketAddress local) throws IOException {
        if (!local.getAddress().isAnyLocalAddress()) {
            return List.of(local);
        }
        return List.of(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), local.getPort()),
                new InetSocketAddress(InetAddress.getByName("::1"), local.getPort()));
    }

    /**
     * An IPv4 address gets an IPv4 socket, an IPv6 one a dual-stack IPv6 socket (the JDK clears
     * IPV6_V6ONLY), so {@code ::} also serves IPv4 clients.
     */
    static ProtocolFamily familyOf(InetSocketAddress bind) {
        return bind.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static void bind(DatagramChannel channel, InetSocketAddress bind) throws IOException {
        try {
            channel.bind(bind);
        } catch (IOException e) {
            throw bindFailure(bind, e.getMessage(), e);
        }
    }

    static BindException bindFailure(InetSocketAddress bind, String reason, Exception cause) {
        BindException e = new BindException("cannot listen on udp " + SocketAddresses.format(bind) + ": " + reason);
        e.initCause(cause);
        return e;
    }

    /** Whether close() had to close the socket under the serving thread; for the tests. */
    boolean forcedToStop() {
        return forcedToStop;
    }

    public UdpServerConfig config() {
        return config;
    }

    /** The bound address: with port 0 in the config, the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The engine serving: {@link Engine#NIO}, {@link Engine#EPOLL} or {@link Engine#IO_URING}, never {@code AUTO}. */
    public Engine engine() {
        return engine;
    }

    /** Serving threads, each with its own socket on the port. */
    public int threads() {
        return loops.size();
    }

    /** The sum of every thread's counters. */
    public UdpStats stats() {
        UdpStats sum = null;
        for (ServingLoop loop : loops) {
            sum = sum == null ? loop.stats() : sum.plus(loop.stats());
        }
        return sum;
    }

    /** Completes with the cause if a serving thread stops by itself (its share of the sources is then no longer answered). */
    public CompletableFuture<Throwable> broken() {
        return broken;
    }

    /**
     * Stops the server: answers the datagrams the kernel has already queued, closes the socket
     * and waits for the serving thread to end. Does nothing the second time.
     */
    @Override
    public void close() {
        boolean first = closed.compareAndSet(false, true);
        if (first) {
            loops.forEach(ServingLoop::stop);
        }
        // A loop ends when it has answered what was queued or its drain deadline passes; the
        // NIO loop's marker goes again every 100 ms in case the kernel dropped it, and past the
        // deadline (plus a margin for one reply's send) its socket is closed under the loop.
        long giveUp = System.nanoTime() + ReplyLoop.FINAL_DRAIN_NANOS + TimeUnit.SECONDS.toNanos(1);
        boolean interrupted = false;
        for (int i = 0; i < threads.size(); i++) {
            Thread thread = threads.get(i);
            ServingLoop loop = loops.get(i);
            for (;;) {
                try {
                    if (thread.getState() == Thread.State.NEW || thread.join(Duration.ofMillis(100))) {
                        break;
                    }
                    if (System.nanoTime() - giveUp > 0) {
                        String local = SocketAddresses.format(localAddress);
                        LogEvent.of(Event.STOP_FORCED, "udp server on " + local + " did not stop by itself; closing its socket",
                                field("protocol", "udp"), field("local", local)).log(LOG, Level.WARNING);
                        forcedToStop = true;
                        loop.forceClose();
                    } else {
                        loop.nudge();
                    }
                } catch (InterruptedException e) {
                    // The socket must be closed when close() returns; keep the interrupt for later.
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first) {
            if (LOG.isLoggable(Level.DEBUG)) {
                String local = SocketAddresses.format(localAddress);
                UdpStats stats = stats();
                LogEvent.of(Event.SERVER_STOPPED, "udp server on " + local + " stopped: " + stats,
                        field("protocol", "udp"), field("local", local)).log(LOG, Level.DEBUG);
            }
        }
    }
}
