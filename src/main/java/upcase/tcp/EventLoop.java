package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.RateLimitedLog;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

/**
 * One platform thread, one selector: accepts from the shared listening socket and serves the
 * connections it accepted, for their whole life. Everything here runs on that thread except
 * {@link #stopAccepting}, {@link #drain} and {@link #awaitEnd}, which post work to it.
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
    }

    private final TcpServer server;
    private final TcpServerConfig config;
    private final UpperCase transform;
    private final TcpCounters counters;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final RateLimitedLog refusals;
    private final RateLimitedLog acceptErrors;
    /** Apart from the --max-connections refusals, so that a flood of those cannot hide a forged header. */
    private final RateLimitedLog proxyRefusals;
    /** Null unless a fault knob is on (--delay, --close-after, ...): then the loop's timers and random source. */
    private final LoopFaults faults;

    /** Input: up to 3 carried bytes of an incomplete sequence, then one read. */
    final byte[] in = new byte[3 + READ_SIZE];
    final ByteBuffer inView = ByteBuffer.wrap(in);
    final byte[] out;
    final ByteBuffer outView;

    private SelectionKey acceptKey;
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
    /**
     * Connections that owe a PROXY header, in accept order. Every one has the same timeout, so
     * their deadlines come in this order too: the scan looks at the head only, and drops those
     * done or closed meanwhile. Empty, and never looked into, without --proxy-protocol.
     */
    private final ArrayDeque<Connection> awaitingHeader = new ArrayDeque<>();

    EventLoop(int index, TcpServer server) throws IOException {
        this.server = server;
        this.config = server.config();
        this.transform = config.transform();
        this.counters = server.counters();
        this.out = new byte[in.length * transform.maxExpansion()];
        this.outView = ByteBuffer.wrap(out);
        this.selector = Selector.open();
        this.refusals = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
        this.acceptErrors = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
        this.proxyRefusals = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(10));
        this.faults = LoopFaults.of(config.faults(), index);
        // Each loop registers the one listening socket: the kernel wakes a loop per connection
        // and no accepted channel is handed between threads.
        this.acceptKey = server.listener().register(selector, SelectionKey.OP_ACCEPT);
        this.thread = Thread.ofPlatform().name("upcase-tcp-" + index).unstarted(this);
    }

    void start() {
        thread.start();
    }

    /** Start-up failed before the thread ran. */
    void abandon() {
        try {
            selector.close();
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "closing a selector: " + e.getMessage(),
                    field("what", "selector"), field("detail", e.getMessage())).log(LOG, Level.DEBUG);
        }
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
            nextIdleScan = System.nanoTime() + idleScanInterval();
            while (!(draining && connections == 0)) {
                runTasks();
                if (draining && connections == 0) {
                    break;
                }
                selector.select(this::dispatch, selectTimeoutMillis());
                long now = System.nanoTime();
                if (faults != null) {
                    faults.runDue(now, this);
                }
                if (!awaitingFirstBytes.isEmpty()) {
                    finishAwaiting(now);
                }
                if (!awaitingHeader.isEmpty()) {
                    expireHeaders(now);
                }
                if (draining && now - drainDeadline >= 0) {
                    closeAll(CloseReason.DRAIN, "the drain timeout passed");
                } else if (now - nextIdleScan >= 0) {
                    closeIdle(now);
                    nextIdleScan = now + idleScanInterval();
                }
                if (acceptKey != null && acceptResumeAt != 0 && now - acceptResumeAt >= 0) {
                    acceptResumeAt = 0;
                    acceptKey.interestOps(SelectionKey.OP_ACCEPT);
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
        Connection firstDue = awaitingHeader.peek();
        if (firstDue != null) {
            // the head may be done already: then this wakes the loop early once, to drop it
            long untilDue = firstDue.preamble() == null ? 0 : firstDue.preamble().deadline() - System.nanoTime();
            wait = Math.min(wait, TimeUnit.NANOSECONDS.toMillis(Math.max(0, untilDue)) + 1);
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

    private void dispatch(SelectionKey key) {
        if (key == acceptKey) {
            accept();
            return;
        }
        Connection c = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                c.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
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

    private static void failed(Connection c, Exception e) {
        if (e instanceof IOException) {
            c.close(CloseReason.RESET, e.getMessage()); // a reset, a broken pipe: the normal ways a peer leaves
        } else {
            LogEvent.of(Event.CONNECTION_FAILED, c + " failed", field("protocol", "tcp"), field("peer", c.peer()))
                    .causedBy(e).log(LOG, Level.WARNING);
            c.close(CloseReason.ERROR, e.toString());
        }
    }

    private void accept() {
        ServerSocketChannel listener = server.listener();
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return;
                }
                backOffAccepting(e);
                return;
            }
            if (channel == null) {
                return; // another loop took it, or the backlog is empty
            }
            acceptBackoffNanos = 0;
            admit(channel);
        }
    }

    /**
     * Out of descriptors (EMFILE) or memory: the pending connection stays in the backlog, so
     * stop asking for a while instead of spinning on the same error, and let connections close.
     */
    private void backOffAccepting(IOException e) {
        acceptBackoffNanos = Math.min(Math.max(TimeUnit.MILLISECONDS.toNanos(10), acceptBackoffNanos * 2),
                MAX_ACCEPT_BACKOFF_NANOS);
        long retryMillis = TimeUnit.NANOSECONDS.toMillis(acceptBackoffNanos);
        acceptErrors.log(() -> LogEvent.of(Event.ACCEPT_FAILED,
                "accept failed on " + SocketAddresses.format(server.localAddress()) + ": " + e.getMessage()
                        + "; retrying in " + retryMillis + "ms",
                field("protocol", "tcp"), field("local", SocketAddresses.format(server.localAddress())),
                field("detail", e.getMessage()), field("retry_ms", retryMillis)));
        acceptKey.interestOps(0);
        acceptResumeAt = System.nanoTime() + acceptBackoffNanos;
    }

    private void admit(SocketChannel channel) {
        if (!server.reserve()) {
            counters.refused(Refusal.MAX_CONNECTIONS);
            refusals.log(() -> {
                String peer = peerOf(channel);
                return LogEvent.of(Event.REFUSED, "refused a connection from " + peer + ": " + config.maxConnections()
                                + " connections are open (--max-connections)",
                        field("protocol", "tcp"), field("local", localOf(channel)), field("peer", peer),
                        field("reason", Refusal.MAX_CONNECTIONS.label()), field("max_connections", config.maxConnections()));
            });
            closeQuietly(channel);
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // replies must not wait for an ACK (Nagle)
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Connection c = new Connection(channel, key, this, System.nanoTime());
            key.attach(c);
            connections++;
            if (c.preamble() == null) {
                served(c);
            } else if (c.preamble().owesHeader()) {
                awaitingHeader.add(c);
            }
        } catch (IOException e) {
            server.release();
            if (LOG.isLoggable(Level.DEBUG)) {
                String peer = peerOf(channel);
                LogEvent.of(Event.CONNECTION_GONE, "a connection from " + peer + " was gone before it was served: "
                                + e.getMessage(),
                        field("protocol", "tcp"), field("peer", peer), field("detail", e.getMessage()))
                        .log(LOG, Level.DEBUG);
            }
            closeQuietly(channel);
        }
    }

    /**
     * A connection is served: at its accept, or on a PROXY listener once its preamble is done
     * (then the event names the client from the header, and the balancer as {@code proxy}).
     */
    void served(Connection c) {
        counters.accepted();
        if (LOG.isLoggable(Level.DEBUG)) {
            c.withBalancer(LogEvent.of(Event.CONNECTION_OPENED, c + " opened",
                    field("protocol", "tcp"), field("local", localOf(c.channel())), field("peer", c.peer())))
                    .log(LOG, Level.DEBUG);
        }
    }

    /** From {@link Connection#refuse}, before its channel closes: it ended in its PROXY preamble, unserved. */
    void refused(Connection c, Refusal reason, String detail) {
        connections--;
        server.release();
        counters.refused(reason);
        proxyRefusals.log(() -> LogEvent.of(Event.REFUSED, "refused a " + c + ": " + detail,
                field("protocol", "tcp"), field("local", localOf(c.channel())), field("peer", c.peer()),
                field("reason", reason.label()), field("detail", detail)));
    }

    /** Closes the connections whose PROXY header is not complete within --handshake-timeout of their accept. */
    private void expireHeaders(long now) {
        Connection c;
        while ((c = awaitingHeader.peek()) != null) {
            ProxyPreamble preamble = c.preamble();
            if (!c.isClosed() && preamble != null) {
                if (now - preamble.deadline() < 0) {
                    return;
                }
                c.refuse(Refusal.HANDSHAKE_TIMEOUT, "no complete PROXY header within "
                        + upcase.net.Durations.format(config.handshakeTimeout()) + " (--handshake-timeout)");
            }
            awaitingHeader.poll();
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
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Connection c && now - c.lastActivity() > limit) {
                c.close(CloseReason.IDLE_TIMEOUT, "idle for " + upcase.net.Durations.format(config.idleTimeout()));
            }
        }
    }

    private void closeAll(CloseReason reason, String detail) {
        for (SelectionKey key : new ArrayList<>(selector.keys())) {
            if (key.attachment() instanceof Connection c) {
                c.close(reason, detail);
            }
        }
    }

    /** From close(): waits until this loop no longer accepts. */
    void stopAccepting() {
        CountDownLatch done = new CountDownLatch(1);
        post(() -> {
            acceptKey.cancel();
            acceptKey = null;
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
            for (SelectionKey key : new ArrayList<>(selector.keys())) {
                if (key.attachment() instanceof Connection c) {
                    if (c.awaitsFirstBytes(now, FIRST_BYTES_GRACE_NANOS)) {
                        awaitingFirstBytes.add(c); // served as usual until its first bytes, then finished
                    } else {
                        c.finishInput();
                    }
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
        selector.wakeup();
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

    private static String peerOf(SocketChannel channel) {
        try {
            return SocketAddresses.format((InetSocketAddress) channel.getRemoteAddress());
        } catch (IOException | RuntimeException e) {
            return "a closed peer";
        }
    }

    /** The connection's own address; cached by the channel since accept, so no system call. */
    static String localOf(SocketChannel channel) {
        try {
            return SocketAddresses.format((InetSocketAddress) channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            return "a closed socket";
        }
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
