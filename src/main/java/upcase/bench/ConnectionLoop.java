package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import upcase.net.Engine;
import upcase.tls.ClientContext;

/**
 * A load thread with its share of TCP connections, opened gradually: at most {@code maxPending}
 * connects in flight at once, so that thousands of connections do not overflow the server's
 * accept backlog all at the same moment. A connect that fails or takes longer than the timeout
 * is counted and reported; the run goes on with the connections that opened. With TLS a
 * connection opens once its handshake is over, within the same timeout; a failed handshake is an
 * error, with the one-line reason (an untrusted certificate, the server's alert).
 *
 * <p>How bytes move and how readiness is waited for is the {@link ConnectionIo}'s: NIO, or epoll
 * (plain TCP only). Everything else is here and in the subclasses, the same on both.
 */
abstract class ConnectionLoop extends Loop {
    /** Read and write buffers: one each per thread, shared by all of its connections. */
    static final int BUFFER = 64 * 1024;

    /** One connection: its channel, its lines, and the send times of the lines in flight. */
    static final class Conn {
        /** Unique in the run: line {@code i} is message {@code (id << 32) + i}. */
        final int id;
        /** Its place in this thread's list. */
        final int unit;
        final LineStream lines;
        final long[] sendTimes;
        /** With a rate: when each line in flight actually left (sendTimes holds when it was due). */
        final long[] wroteTimes;
        /** The NIO engine's channel and key. */
        SocketChannel channel;
        SelectionKey key;
        /** With TLS (NIO only): the session over {@link #channel}; null for plain TCP. */
        TlsChannel tls;
        /** The epoll engine's descriptor, -1 before the connect and after the close; its interest as registered. */
        int fd = -1;
        int registered;
        /** When the connect started; later, when a reply last made progress (or the first line was owed). */
        long since;
        boolean writeInterest;
        /** The connect, or with TLS the connect or the handshake, is under way. */
        boolean connecting;
        boolean established;

        Conn(int id, int unit, LineStream lines, int depth) {
            this.id = id;
            this.unit = unit;
            this.lines = lines;
            this.sendTimes = new long[depth];
            this.wroteTimes = new long[depth];
        }

        boolean isOpen() {
            return established;
        }
    }

    final InetSocketAddress target;
    final long timeout;
    final List<Conn> conns = new ArrayList<>();
    final ConnectionIo io;
    final ByteBuffer readBuffer;
    final ByteBuffer writeBuffer;
    /** TLS towards the server; null for plain TCP. */
    private final ClientContext tls;
    private final TlsChannel.Scratch scratch;
    private final int maxPending;
    int open;

    /**
     * @param ids the connection ids of this thread
     * @param depth how many lines each connection may have in flight
     * @param engine {@link Engine#NIO} or {@link Engine#EPOLL} (resolved: never auto); NIO with TLS
     */
    ConnectionLoop(int index, Control control, Problems problems, InetSocketAddress target, long timeout,
            int maxPending, int[] ids, Payload payload, int depth, ClientContext tls, Engine engine) throws IOException {
        super(index, control, problems);
        if (engine == Engine.EPOLL && tls != null) {
            throw new IllegalArgumentException("TLS runs on the nio engine only");
        }
        this.target = target;
        this.tls = tls;
        this.scratch = tls == null ? null : new TlsChannel.Scratch(BUFFER);
        this.timeout = timeout;
        this.maxPending = maxPending;
        Payload.Checker checker = payload.checker();
        for (int unit = 0; unit < ids.length; unit++) {
            conns.add(new Conn(ids[unit], unit, new LineStream(payload, checker, (long) ids[unit] << 32), depth));
        }
        this.io = engine == Engine.EPOLL ? new EpollConnections(conns, BUFFER) : new NioConnections(selector);
        this.readBuffer = io.buffer(BUFFER);
        this.writeBuffer = io.buffer(BUFFER);
    }

    /** The engine's name for the report. */
    String engine() {
        return io.label();
    }

    @Override
    void wakeup() {
        io.wakeup();
    }

    /** Waits for I/O until {@code deadline} or a {@link Ticker} wake-up, handing ready connections to {@code handler}. */
    void await(long deadline, ConnectionIo.Ready handler) throws IOException {
        io.await(deadline, handler);
    }

    /** Opens every connection, {@code maxPending} at a time; returns when each is open or has failed. First in every body. */
    void connectAll() throws IOException {
        io.start();
        ArrayDeque<Conn> pending = new ArrayDeque<>();
        int next = 0;
        while (next < conns.size() || !pending.isEmpty()) {
            if (control.cancelled()) {
                return;
            }
            while (pending.size() < maxPending && next < conns.size()) {
                Conn c = conns.get(next++);
                if (startConnect(c)) {
                    pending.add(c);
                }
            }
            long now = System.nanoTime();
            // Connects start in order, so the oldest pending one is always at the head.
            while (!pending.isEmpty() && (!pending.peek().connecting || now - pending.peek().since > timeout)) {
                Conn c = pending.poll();
                if (c.connecting) {
                    c.connecting = false;
                    if (c.tls != null) {
                        handshakeFailed("tls: no handshake from " + tls.server() + " within " + Report.duration(timeout));
                    } else {
                        connectFailed(new IOException("no answer within " + Report.duration(timeout)));
                    }
                    closeQuietly(c);
                }
            }
            if (!pending.isEmpty()) {
                await(Math.min(now + HOUSEKEEPING, pending.peek().since + timeout), this::connectEvent);
            }
        }
    }

    /** Returns true if the connect is pending. */
    private boolean startConnect(Conn c) {
        try {
            c.since = System.nanoTime();
            boolean done = io.connect(c, target);
            c.connecting = true;
            return !done || !tcpConnected(c);
        } catch (IOException | RuntimeException e) {
            connectFailed(e instanceof Exception ? e : new IOException(e));
            closeQuietly(c);
            return false;
        }
    }

    private void connectEvent(Conn c, boolean readable, boolean writable) {
        if (!c.connecting) {
            return;
        }
        if (c.tls != null) {
            handshake(c);
            return;
        }
        try {
            if (io.finishConnect(c)) {
                tcpConnected(c);
            }
        } catch (IOException e) {
            c.connecting = false;
            connectFailed(e);
            closeQuietly(c);
        }
    }

    /** Returns true once the connection is no longer pending: open, or (with TLS) its handshake failed and counted. */
    private boolean tcpConnected(Conn c) throws IOException {
        if (tls == null) {
            c.connecting = false;
            opened(c);
            return true;
        }
        c.tls = new TlsChannel(c.channel, tls.newEngine(), scratch);
        return handshake(c);
    }

    /** Moves a handshake on; returns true once it is over: the connection open, or closed and the failure counted. */
    private boolean handshake(Conn c) {
        try {
            TlsChannel.Step step = c.tls.handshake();
            switch (step) {
                case DONE -> {
                    c.connecting = false;
                    negotiated(c.tls);
                    opened(c);
                    return true;
                }
                case READ -> io.interest(c, ConnectionIo.READ);
                case WRITE -> io.interest(c, ConnectionIo.WRITE);
            }
            return false;
        } catch (IOException | RuntimeException e) {
            c.connecting = false;
            handshakeFailed(tls.failure(e));
            closeQuietly(c);
            return true;
        }
    }

    /** No interest yet: what the server does before the traffic starts is seen when it starts. */
    private void opened(Conn c) {
        io.interest(c, ConnectionIo.NONE);
        c.established = true;
        open++;
        tally.add(Count.CONNECTS);
    }

    /** Every open connection now reads what the server sends. */
    void startReading() {
        for (Conn c : conns) {
            if (c.isOpen()) {
                io.interest(c, ConnectionIo.READ);
            }
        }
    }

    /** Plaintext from the connection, through TLS if it has it; -1 at the end of the stream. */
    int read(Conn c, ByteBuffer dst) throws IOException {
        return c.tls == null ? io.read(c, dst) : c.tls.read(dst);
    }

    /** Plaintext to the connection, through TLS if it has it: the bytes of {@code src} taken. */
    int write(Conn c, ByteBuffer src) throws IOException {
        return c.tls == null ? io.write(c, src) : c.tls.write(src);
    }

    /** Whether TLS still holds ciphertext for the socket: write interest must stay on until it is written. */
    static boolean flushing(Conn c) {
        return c.tls != null && c.tls.flushing();
    }

    /** Read interest always; write interest while a write is unfinished. */
    void wantWrite(Conn c, boolean want) {
        if (c.writeInterest != want) {
            c.writeInterest = want;
            io.interest(c, want ? ConnectionIo.READ | ConnectionIo.WRITE : ConnectionIo.READ);
        }
    }

    void close(Conn c) {
        if (c.established) {
            c.established = false;
            open--;
        }
        closeQuietly(c);
    }

    private void closeQuietly(Conn c) {
        if (c.tls != null) {
            c.tls.close();
            c.tls = null;
        }
        io.close(c);
    }

    /** Every connection, then the engine's own descriptors and memory: on the load thread, at its end. */
    @Override
    void closeAll() {
        for (Conn c : conns) {
            close(c);
        }
        io.close();
    }
}
