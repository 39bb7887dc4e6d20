package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import upcase.net.Engine;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;
import upcase.net.StartSignal;
import upcase.text.UpperCase;

/**
 * One platform thread, one poller (a selector or an epoll instance, {@link Poller}): accepts from
 * the shared listening sockets (plain, TLS) and serves the connections it accepted, for their
 * whole life. What is here is the same on every engine; only the poller and the connections'
 * {@link Wire}s differ. Everything here runs on that thread except {@link #stopAccepting},
 * {@link #drain} and {@link #awaitEnd}, which post work to it.
 *
 * <p>The read and write buffers belong to the loop, not to connections: a connection borrows
 * them for one read-transform-write and keeps only what the kernel would not take yet.
 */
final class EventLoop implements Runnable {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    /** Bytes read per read(): large enough for bulk transfers, small enough to stay in L2. */
    static final int READ_SIZE = 64 * 1024;
    /** Accepts per readiness event, likewise. */
    private static final int ACCEPTS_PER_EVENT = 64;
    private static final long MAX_ACCEPT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    static {
        // Loading a class opens its file when the class path is a directory (as under Maven):
        // when accept() fails for want of descriptors (EMFILE), a loop that then meets a class
        // it has not loaded yet breaks with NoClassDefFoundError instead of backing off. So the
        // classes its close, refusal and log paths use are loaded now, while files can be opened.
        CloseReason.values();
        Refusal.values();
        Event.values();
        LogEvent.of(Event.CLOSE_FAILED, "", LogEvent.field("what", "nothing"));
        // The first read counts its line feeds: a server that reads its first line at the
        // limit would otherwise break there (found by DescriptorExhaustionTest, unwarmed).
        upcase.text.LineFeeds.count(new byte[] {'\n'}, 0, 1);
        // The epoll engine's accept fails with this exception (a class literal loads its class).
        Class<?> acceptFailure = upcase.nativeio.SystemCallException.class;
    }

    private final TcpServer server;
    private final TcpServerConfig config;
    private final UpperCase transform;
    private final TcpCounters counters;
    private final Poller poller;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The poller is ready (io_uring's ring is opened on this thread): {@link TcpServer#start} returns after it. */
    private final StartSignal started = new StartSignal();
    private final RateLimitedLog refusals;
    private final RateLimitedLog acceptErrors;
    /**
     * Refusals of connections never served (PROXY header, TLS handshake), one log per reason (by
     * ordinal), apart from --max-connections: a flood of one kind, such as a misconfigured
     * balancer's or a scanner's plain text on the TLS port, must not hide a forged header.
     */
    private final RateLimitedLog[] refusalLogs = new RateLimitedLog[Refusal.values().length];
    /** Null unless a fault knob is on (--delay, --close-after, ...): then the loop's timers and random source. */
    private final LoopFaults faults;

    /** Input: up to 3 carried bytes of an incomplete sequence, then one read. */
    final byte[] in = new byte[3 + READ_SIZE];
    final ByteBuffer inView = ByteBuffer.wrap(in);
    final byte[] out;
    final ByteBuffer outView;

    /** Null unless the server has a TLS listener. */
    private final TlsWire.Buffers tlsBuffers;
    /**
     * Connections that owe a handshake (a PROXY header from a trusted source, a TLS handshake),
     * in accept order, so in deadline order (one timeout for all): the scan looks at the head
     * only. One done early waits behind the head until it is dropped: at most the connections of
     * one timeout's accepts, each without its preamble's buffer by then. Empty, and never looked
     * into, on a plain listener without --proxy-protocol.
     */
    private final ArrayDeque<Connection> handshakes = new ArrayDeque<>();
    private final long handshakeTimeoutNanos;
    private long acceptBackoffNanos;
    private long acceptResumeAt;
    private int connections;
    private boolean draining;
    private long drainDeadline;
    private long nextIdleScan;
    /** Drain: connections accepted just before it whose first bytes have not arrived yet (Connection#awaitsFirstBytes). */
    private final List<Connection> awaitingFirstBytes = new ArrayList<>();
    /**
     * How long a just-accepted connection may take to send its first bytes once the drain began.
     * Measured with bench/reuse-port.sh: without it, a SIGTERM under a stream of short
     * connections sent some a FIN before their line arrived ("closed by the server before the
     * whole reply"). A second covers a client's connect-then-send; an idle client costs the
     * drain at most that.
     */
    static final long FIRST_BYTES_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    EventLoop(int index, TcpServer server) throws IOException {
        this.server = server;
        this.config = server.config();
        this.transform = config.transform();
        this.counters = server.counters();
        this.out = new byte[in.length * transform.maxExpansion()];
        this.outView = ByteBuffer.wrap(out);
        this.refusals = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
        this.acceptErrors = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
        for (int i = 0; i < refusalLogs.length; i++) {
            refusalLogs[i] = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
        }
        this.faults = LoopFaults.of(config.faults(), index);
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
        this.tlsBuffers = server.tls() == null ? null
                : new TlsWire.Buffers(server.tls().newEngine().getSession().getPacketBufferSize());
        this.poller = switch (server.engine()) {
            case EPOLL -> new EpollPoller(this, server.listeners());
            case IO_URING -> new UringPoller(this, server.listeners());
            default -> new SelectorPoller(this, server.listeners());
        };
        this.thread = Thread.ofPlatform().name("upcase-tcp-" + index).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** From {@link TcpServer#start}: waits until the thread has its poller ready, or throws why it could not. */
    void awaitStarted() throws IOException {
        started.await("cannot start tcp engine " + server.engine().label());
    }

    /** Start-up failed before the thread ran. */
    void abandon() {
        poller.close();
    }

    UpperCase transform() {
        return transform;
    }

    TcpCounters counters() {
        return counters;
    }

    LoopFaults faults() {
        return faults;
    }

    TcpServerConfig config() {
        return config;
    }

    @Override
    public void run() {
        try {
            try {
                poller.start();
            } catch (IOException | RuntimeException | Error e) {
                started.failed(e); // TcpServer.start reports it and stops the others
                return;
            }
            started.started();
            nextIdleScan = System.nanoTime() + idleScanInterval();
            while (!(draining && connections == 0)) {
                runTasks();
                if (draining && connections == 0) {
                    break;
                }
                poller.poll(selectTimeoutMillis());
                long now = System.nanoTime();
                if (faults != null) {
                    faults.runDue(now, this);
                }
                if (!awaitingFirstBytes.isEmpty()) {
                    finishAwaiting(now);
                }
                if (!handshakes.isEmpty()) {
                    expireHandshakes(now);
                }
                if (draining && now - drainDeadline >= 0) {
                    closeAll(CloseReason.DRAIN, "the drain timeout passed");
                } else if (now - nextIdleScan >= 0) {
                    closeIdle(now);
                    nextIdleScan = now + idleScanInterval();
                }
                if (acceptResumeAt != 0 && now - acceptResumeAt >= 0) {
                    acceptResumeAt = 0;
                    poller.resumeAccepting();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            LogEvent.of(Event.SERVER_BROKE, "tcp event loop " + thread.getName() + " broke",
                    field("protocol", "tcp"), field("thread", thread.getName())).causedBy(e).log(LOG, Level.ERROR);
            server.loopBroke(e);
        } finally {
            closeAll(CloseReason.DRAIN, "the server stopped");
            abandon();
            ended.countDown();
        }
    }

    private long selectTimeoutMillis() {
        long wait = config.idleTimeout().isZero() ? 1_000 : Math.min(1_000, config.idleTimeout().toMillis() / 4 + 1);
        if (draining) {
            wait = Math.min(wait, Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainDeadline - System.nanoTime()) + 1));
        }
        if (faults != null) {
            wait = faults.millisUntilNextDue(System.nanoTime(), wait); // wake for the earliest delayed reply
        }
        if (!awaitingFirstBytes.isEmpty()) {
            wait = Math.min(wait, 50); // the end of a grace is checked this often
        }
        if (!handshakes.isEmpty()) {
            long due = handshakes.peekFirst().openedAt() + handshakeTimeoutNanos - System.nanoTime();
            wait = Math.min(wait, TimeUnit.NANOSECONDS.toMillis(due) + 1);
        }
        return Math.max(1, wait);
    }

    private long idleScanInterval() {
        return config.idleTimeout().isZero() ? Long.MAX_VALUE / 4 : Math.min(config.idleTimeout().toNanos() / 4 + 1,
                TimeUnit.SECONDS.toNanos(1));
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** From the poller: {@code c} is ready to write, to read, or both (its interest allowing). */
    void ready(Connection c, boolean writable, boolean readable) {
        try {
            if (writable) {
                c.onWritable();
            }
            if (readable && !c.isClosed()) {
                c.onReadable();
            }
        } catch (IOException | RuntimeException e) {
            failed(c, e);
        }
    }

    /** From {@link LoopFaults#runDue}: a delayed reply (--delay) is due. */
    void replyDue(Connection c) {
        try {
            c.replyDue();
        } catch (IOException | RuntimeException e) {
            failed(c, e);
        }
    }

    /** On this thread: a connection's read, write or handshake threw. */
    static void failed(Connection c, Exception e) {
        if (e instanceof IOException) {
            c.close(CloseReason.RESET, e.getMessage()); // a reset, a broken pipe: the normal ways a peer leaves
        } else {
            LogEvent.of(Event.CONNECTION_FAILED, c + " failed", field("protocol", "tcp"), field("peer", c.peer()))
                    .causedBy(e).log(LOG, Level.WARNING);
            c.close(CloseReason.ERROR, e.toString());
        }
    }

    /** From the poller: {@code listener} has connections waiting. */
    void accept(Listener listener) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            Wire wire;
            try {
                wire = poller.accept(listener);
            } catch (IOException e) {
                backOffAccepting(listener, e);
                return;
            }
            if (wire == null) {
                return; // another loop took it, or the backlog is empty
            }
            acceptBackoffNanos = 0;
            admit(wire, listener.tls());
        }
    }

    /**
     * Out of descriptors (EMFILE) or memory: the pending connection stays in the backlog, so
     * stop asking for a while instead of spinning on the same error, and let connections close.
     */
    private void backOffAccepting(Listener listener, IOException e) {
        acceptBackoffNanos = Math.min(Math.max(TimeUnit.MILLISECONDS.toNanos(10), acceptBackoffNanos * 2),
                MAX_ACCEPT_BACKOFF_NANOS);
        long retryMillis = TimeUnit.NANOSECONDS.toMillis(acceptBackoffNanos);
        acceptErrors.log(() -> LogEvent.of(Event.ACCEPT_FAILED,
                "accept failed on " + SocketAddresses.format(listener.local()) + ": " + e.getMessage()
                        + "; retrying in " + retryMillis + "ms",
                field("protocol", "tcp"), field("local", SocketAddresses.format(listener.local())),
                field("detail", e.getMessage()), field("retry_ms", retryMillis)));
        poller.pauseAccepting();
        acceptResumeAt = System.nanoTime() + acceptBackoffNanos;
    }

    private void admit(Wire wire, boolean tls) {
        if (!server.reserve()) {
            counters.refused(Refusal.MAX_CONNECTIONS);
            refusals.log(() -> {
                String peer = peerOf(wire);
                return LogEvent.of(Event.REFUSED, "refused a connection from " + peer + ": " + config.maxConnections()
                                + " connections are open (--max-connections)",
                        field("protocol", "tcp"), field("local", wire.local()), field("peer", peer),
                        field("reason", Refusal.MAX_CONNECTIONS.label()), field("max_connections", config.maxConnections()));
            });
            wire.close();
            return;
        }
        try {
            Connection c = new Connection(wire, this, System.nanoTime(),
                    tls ? new TlsWire(server.tls().newEngine(), wire, tlsBuffers) : null);
            poller.register(wire, c);
            connections++;
            if (c.servedAtOnce()) {
                served(c);
            } else if (c.handshaking()) {
                handshakes.addLast(c); // served once its header is read and its handshake done
            }
        } catch (IOException e) {
            server.release();
            if (LOG.isLoggable(Level.DEBUG)) {
                String peer = peerOf(wire);
                LogEvent.of(Event.CONNECTION_GONE, "a connection from " + peer + " was gone before it was served: "
                                + e.getMessage(),
                        field("protocol", "tcp"), field("peer", peer), field("detail", e.getMessage()))
                        .log(LOG, Level.DEBUG);
            }
            wire.close();
        }
    }

    /**
     * A connection is served: at its accept; on a PROXY listener once its preamble is done (then
     * the event names the client from the header, and the balancer as {@code proxy}); on a TLS
     * listener once its handshake is done ({@link #handshaken}).
     */
    void served(Connection c) {
        counters.accepted();
        if (LOG.isLoggable(Level.DEBUG)) {
            c.withBalancer(LogEvent.of(Event.CONNECTION_OPENED, c + " opened",
                    field("protocol", c.protocol()), field("local", c.local()), field("peer", c.peer())))
                    .log(LOG, Level.DEBUG);
        }
    }

    /** From a TLS connection, on this thread: its handshake is done, {@code nanos} after its accept. */
    void handshaken(Connection c, long nanos) {
        counters.handshaken(nanos);
        served(c);
    }

    /**
     * From {@link Connection#refuse}, before its channel closes: it ended unserved, in its PROXY
     * preamble or its TLS handshake. {@code warn}: a rate-limited warning; else a debug line.
     */
    void refused(Connection c, Refusal reason, String detail, boolean warn) {
        connections--;
        server.release();
        counters.refused(reason);
        if (warn) {
            refusalLogs[reason.ordinal()].log(() -> refusedEvent(c, reason, detail));
        } else if (LOG.isLoggable(Level.DEBUG)) {
            refusedEvent(c, reason, detail).log(LOG, Level.DEBUG);
        }
    }

    private static LogEvent refusedEvent(Connection c, Refusal reason, String detail) {
        return c.withBalancer(LogEvent.of(Event.REFUSED, "refused a " + c + ": " + detail,
                field("protocol", c.protocol()), field("local", c.local()), field("peer", c.peer()),
                field("reason", reason.label()), field("detail", detail)));
    }

    /** The server's executor for the TLS engines' delegated tasks (key exchange, certificate checks). */
    java.util.concurrent.Executor tlsTasks() {
        return server.tlsTasks();
    }

    /** Runs {@code task} on this loop's thread, before its next select. */
    void execute(Runnable task) {
        post(task);
    }

    /**
     * Closes the connections whose PROXY header or TLS handshake is not done within
     * --handshake-timeout of their accept, however slowly their bytes came.
     */
    private void expireHandshakes(long now) {
        Connection head;
        while ((head = handshakes.peekFirst()) != null) {
            if (!head.handshaking()) {
                handshakes.pollFirst();
            } else if (now - head.openedAt() >= handshakeTimeoutNanos) {
                handshakes.pollFirst();
                // A direct client on a PROXY and TLS listener owes no header, only the handshake.
                String missing = head.preamble() != null && head.preamble().owesHeader()
                        ? "no complete PROXY header" : "no TLS handshake";
                head.refuse(Refusal.HANDSHAKE_TIMEOUT, missing + " within "
                        + upcase.net.Durations.format(config.handshakeTimeout()) + " (--handshake-timeout)", true);
            } else {
                return;
            }
        }
    }

    /** From {@link Connection#close}, on this thread: once per connection, after {@code nanos} open. */
    void closed(CloseReason reason, long nanos) {
        connections--;
        server.release();
        counters.closed(reason, nanos);
    }

    boolean draining() {
        return draining;
    }

    private void closeIdle(long now) {
        long limit = config.idleTimeout().toNanos();
        for (Connection c : poller.connections()) {
            if (now - c.lastActivity() > limit) {
                c.close(CloseReason.IDLE_TIMEOUT, "idle for " + upcase.net.Durations.format(config.idleTimeout()));
            }
        }
    }

    private void closeAll(CloseReason reason, String detail) {
        for (Connection c : poller.connections()) {
            c.close(reason, detail);
        }
    }

    /** From close(): waits until this loop no longer accepts. */
    void stopAccepting() {
        CountDownLatch done = new CountDownLatch(1);
        post(() -> {
            poller.stopAccepting();
            done.countDown();
        });
        awaitQuietly(done);
    }

    /** From close(): answer what each connection has received, then close it; give up at the deadline. */
    void drain(long deadline) {
        post(() -> {
            draining = true;
            drainDeadline = deadline;
            long now = System.nanoTime();
            for (Connection c : poller.connections()) {
                if (c.awaitsFirstBytes(now, FIRST_BYTES_GRACE_NANOS)) {
                    awaitingFirstBytes.add(c); // served as usual until its first bytes, then finished
                } else {
                    c.finishInput();
                }
            }
        });
    }

    /** Draining: finishes each waiting connection once its first bytes were answered, or its grace is over. */
    private void finishAwaiting(long now) {
        awaitingFirstBytes.removeIf(c -> {
            if (c.isClosed()) {
                return true;
            }
            if (c.awaitsFirstBytes(now, FIRST_BYTES_GRACE_NANOS)) {
                return false;
            }
            c.finishInput();
            return true;
        });
    }

    /** From close(); returns whether the wait was interrupted. */
    boolean awaitEnd(long deadline) {
        try {
            if (!ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LogEvent.of(Event.EVENT_LOOP_LATE, "tcp event loop " + thread.getName() + " did not stop in time",
                        field("protocol", "tcp"), field("thread", thread.getName())).log(LOG, Level.WARNING);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private void post(Runnable task) {
        if (ended.getCount() == 0) {
            return; // the loop is gone; it closed everything on its way out
        }
        tasks.add(task);
        poller.wakeup();
    }

    private void awaitQuietly(CountDownLatch latch) {
        try {
            while (ended.getCount() > 0 && !latch.await(100, TimeUnit.MILLISECONDS)) {
                // the loop may have ended meanwhile; then there is nothing to wait for
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String peerOf(Wire wire) {
        return SocketAddresses.format(wire.remoteAddress());
    }

    static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "close failed: " + e.getMessage(),
                    field("what", "connection"), field("detail", e.getMessage())).log(LOG, Level.DEBUG);
        }
    }
}
