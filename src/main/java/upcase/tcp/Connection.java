package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/**
 * One client connection, touched only by its {@link EventLoop}'s thread. Everything read is
 * answered before the next read (PROTOCOL.md §TCP): no waiting for a line end; only an
 * incomplete UTF-8 sequence at the end (at most 3 bytes) waits for its last bytes.
 *
 * <p>Backpressure: when the kernel will not take a whole reply, the rest is kept here and the
 * connection stops being read until it is written. So a client that does not read holds at
 * most one read's worth of replies in the server (PROTOCOL.md §TCP 7). A reply held back by
 * --delay is pending in the same way: the connection is not read until it has been written,
 * which keeps the order of replies and bounds the memory (PROTOCOL.md §Faults).
 *
 * <p>On a PROXY protocol listener a connection starts with a {@link ProxyPreamble}: until it is
 * done, reads go to it; then the connection's peer is the client the header names, and the
 * bytes read past the header enter the data path through {@link #data}, as if just read.
 *
 * <p>Bytes move through a {@link Wire} (the engine's: a SocketChannel, or a descriptor in an
 * epoll loop); nothing here knows which.
 *
 * <p>TLS: {@link #tls} sits between the wire and this state machine. Until its handshake is
 * done, readiness drives the handshake; then reads and writes go through it, and everything
 * else (carry, backpressure, half-close, linger, drain, idle) is the same. Without TLS the field
 * is null and each read and write costs one null check more. With both, the PROXY header comes
 * first and the bytes read past it go to the TLS engine ({@link #feedTls}) instead.
 */
final class Connection {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    private static final int READS_PER_EVENT = 4;

    private final Wire wire;
    private final EventLoop loop;
    /**
     * The client a PROXY header named, once it is read; null for a direct client, whose address
     * the wire gives when a log line or the PROXY check asks (the epoll engine keeps it as two
     * numbers, so an idle connection holds no address objects: docs/PERFORMANCE.md).
     */
    private InetSocketAddress peer;
    /** The balancer that sent a PROXY header, or null for a direct client. */
    private InetSocketAddress balancer;
    /** Non-null only on a PROXY listener, until the header is read (or known to be absent). */
    private ProxyPreamble preamble;
    /**
     * The up to 3 bytes of an incomplete sequence, packed (the first in the low byte): an int,
     * not an array, so an idle connection holds no buffer, and a read with nothing carried (the
     * usual one) skips the copy.
     */
    private int carry;
    private int carried;
    private ByteBuffer pending;
    /** No more input will be answered: the client half-closed, or the server is draining. */
    private boolean inputEnded;
    private boolean clientClosed;
    /** Draining: our FIN is out; what the client still sends is read and dropped until it closes. */
    private boolean lingering;
    private long discarded;
    private boolean closed;
    private long lastActivity;
    /** When it was accepted (System.nanoTime), for the close event's duration. */
    private final long openedAt;
    private long bytesIn;
    /** Line feeds received; the server's counters count them on every read anyway. */
    private long lines;
    private long bytesOut;
    /** Null unless a fault knob is on: the read path's only cost for the knobs is this null check. */
    private final ConnectionFaults faults;
    /** Null on a plain listener's connections. */
    private final TlsWire tls;

    /** {@code tls}: null on a plain listener; else the connection starts with the TLS handshake. */
    Connection(Wire wire, EventLoop loop, long now, TlsWire tls) throws IOException {
        this.wire = wire;
        this.tls = tls;
        this.loop = loop;
        this.lastActivity = now;
        this.openedAt = now;
        this.faults = loop.faults() == null ? null : loop.faults().forConnection(this);
        this.preamble = ProxyPreamble.of(loop.config(), wire);
    }

    /** The PROXY preamble still to be read, or null: for the loop's handshake deadline scan. */
    ProxyPreamble preamble() {
        return preamble;
    }

    long lastActivity() {
        return lastActivity;
    }

    /**
     * Drain: whether this connection was accepted less than {@code graceNanos} ago and nothing
     * has arrived on it yet. A client that connects and then sends (the textbook client,
     * {@code bench connect}) would otherwise get a FIN and no reply; the loop gives it until
     * its first bytes, or the grace, before {@link #finishInput}.
     */
    boolean awaitsFirstBytes(long now, long graceNanos) {
        return !closed && bytesIn == 0 && !inputEnded && now - lastActivity < graceNanos;
    }

    boolean isClosed() {
        return closed;
    }

    void onReadable() throws IOException {
        if (lingering) {
            discard();
            return;
        }
        if (preamble != null) {
            readPreamble();
            return;
        }
        if (tls != null && !tls.established()) {
            handshake();
            return;
        }
        for (int reads = 0; reads < READS_PER_EVENT && !inputEnded && pending == null; reads++) {
            byte[] in = loop.in;
            if (carried > 0) {
                restoreCarry(in);
            }
            ByteBuffer view = loop.inView;
            view.limit(in.length).position(carried);
            int n = tls == null ? wire.read(view) : tls.read(view);
            if (n < 0) {
                clientClosed = true;
                endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            lastActivity = System.nanoTime();
            received(in, n);
            if (view.hasRemaining() && (tls == null || !tls.hasInput())) {
                return; // the socket had less than a buffer: it is empty now
            }
        }
        if (tls != null && tls.hasInput() && pending == null && !inputEnded) {
            // Whole records wait in the connection, not in the socket: no readiness event will
            // come for them, so the loop reads again after the other connections' turn.
            loop.execute(onLoop(this::onReadable));
        }
    }

    /** A step that may fail as a read or write does. */
    private interface Step {
        void run() throws IOException;
    }

    /** {@code step} for the loop's task queue: skipped if the connection closed meanwhile, failures as from readiness. */
    private Runnable onLoop(Step step) {
        return () -> {
            if (closed) {
                return;
            }
            try {
                step.run();
            } catch (IOException | RuntimeException e) {
                EventLoop.failed(this, e);
            }
        };
    }

    /**
     * The handshake, driven by readiness and by the end of delegated tasks. Once done, the
     * connection is served; bytes that came with the client's last handshake message (TLS 1.3
     * lets a client send right after its Finished) are answered at once.
     */
    private void handshake() throws IOException {
        TlsWire.Progress progress;
        try {
            // Resumed on the loop once the engine's delegated tasks have run.
            progress = tls.handshake(loop.tlsTasks(), loop::execute, onLoop(this::handshake));
        } catch (javax.net.ssl.SSLException e) {
            refuse(Refusal.TLS_HANDSHAKE, "TLS handshake failed: " + e.getMessage(), true);
            return;
        }
        lastActivity = System.nanoTime();
        if (progress == TlsWire.Progress.DONE) {
            loop.handshaken(this, lastActivity - openedAt);
            wire.interestRead();
            onReadable();
        }
    }

    /**
     * The one way into TLS for bytes read before it: the PROXY preamble hands over what it read
     * past the header, and the handshake goes on from them at once (no readiness event will
     * come for bytes already read).
     */
    private void feedTls(ByteBuffer alreadyRead) throws IOException {
        tls.feed(alreadyRead);
        handshake();
    }

    /**
     * Whether a PROXY header is owed or the TLS handshake is still running: the handshake
     * deadline applies (--handshake-timeout). A direct client on a PROXY listener owes no header.
     */
    boolean handshaking() {
        return !closed && ((preamble != null && preamble.owesHeader()) || (tls != null && !tls.established()));
    }

    /** Whether the connection is served at its accept: no PROXY header to read, no TLS handshake. */
    boolean servedAtOnce() {
        return preamble == null && tls == null;
    }

    long openedAt() {
        return openedAt;
    }

    /** {@code in} holds the carried bytes, then {@code n} just read: count them and answer. */
    private void received(byte[] in, int n) throws IOException {
        bytesIn += n;
        lines += loop.counters().received(in, carried, carried + n);
        int filled = carried + n;
        int end = loop.transform().boundary(in, 0, filled);
        carried = filled - end;
        if (carried > 0) {
            keepCarry(in, end);
        }
        if (faults == null) {
            answer(in, end);
        } else {
            answerWithFaults(in, end);
        }
    }

    /** Keeps {@code in[from, from + carried)} in {@link #carry}. */
    private void keepCarry(byte[] in, int from) {
        int packed = 0;
        for (int i = 0; i < carried; i++) {
            packed |= (in[from + i] & 0xff) << (8 * i);
        }
        carry = packed;
    }

    /** Puts the carried bytes back at the start of {@code in}, ahead of the next read. */
    private void restoreCarry(byte[] in) {
        for (int i = 0; i < carried; i++) {
            in[i] = (byte) (carry >>> (8 * i));
        }
    }

    private void readPreamble() throws IOException {
        ProxyPreamble.Step step = preamble.read(wire, wire.remoteAddress());
        lastActivity = System.nanoTime();
        switch (step) {
            case ProxyPreamble.Reading r -> {
                // more to come; the loop's deadline scan ends a header that takes too long
            }
            case ProxyPreamble.Refused r -> refuse(r.reason(), r.detail(), true);
            case ProxyPreamble.Done d -> {
                preamble = null;
                peer = d.client();
                balancer = d.balancer();
                if (tls != null) {
                    // Served once the handshake is done (EventLoop#handshaken), like any TLS connection.
                    feedTls(ByteBuffer.wrap(d.bytes(), d.from(), d.to() - d.from()));
                } else {
                    loop.served(this);
                    data(d.bytes(), d.from(), d.to());
                }
            }
        }
    }

    /**
     * The bytes read past the PROXY header: the connection's first data, answered exactly as if
     * just read (PROTOCOL.md §PROXY: data in the same segment as the header is answered). On a TLS
     * listener they go to {@link #feedTls} instead.
     */
    private void data(byte[] bytes, int from, int to) throws IOException {
        int n = to - from;
        if (n == 0) {
            return;
        }
        // Nothing is carried yet, and n is at most the preamble's bound, far below a read's.
        System.arraycopy(bytes, from, loop.in, carried, n);
        received(loop.in, n);
    }

    /** Transforms {@code in[0, length)} into the loop's output buffer and writes what the kernel takes. */
    private void answer(byte[] in, int length) throws IOException {
        if (length == 0) {
            return;
        }
        int n = loop.transform().apply(in, 0, length, loop.out, 0);
        ByteBuffer view = loop.outView;
        view.limit(n).position(0);
        int written = tls == null ? wire.write(view) : tls.write(view);
        sent(written);
        if (written < n || tls != null && tls.hasUnsent()) {
            // With TLS, the rest may be ciphertext only: pending is then empty, and onWritable flushes it.
            pending = ByteBuffer.wrap(Arrays.copyOfRange(loop.out, written, n));
            wire.interestWrite(); // and not OP_READ: the backpressure
        }
    }

    /**
     * The fault knobs' read path: with a line limit, only up to the last line allowed is
     * answered and the rest of the read is dropped; with a delay, the reply waits in
     * {@link #pending}, and the connection neither reads nor writes until the loop's timer
     * calls {@link #replyDue}.
     */
    private void answerWithFaults(byte[] in, int end) throws IOException {
        int length = faults.answerable(in, end);
        boolean last = faults.exhausted();
        if (last) {
            carried = 0; // bytes after the last line feed allowed are not answered (PROTOCOL.md §Faults)
            inputEnded = true;
        }
        if (faults.delays() && length > 0) {
            int n = loop.transform().apply(in, 0, length, loop.out, 0);
            pending = ByteBuffer.wrap(Arrays.copyOf(loop.out, n));
            wire.interestNone();
            faults.schedule(System.nanoTime());
            loop.counters().delayed();
            return; // the end, if this was the last line, comes once the reply is written
        }
        answer(in, length);
        if (last && pending == null) {
            endByFault();
        }
    }

    /** From the loop's timer: the delayed reply is due. */
    void replyDue() throws IOException {
        if (closed) {
            return;
        }
        wire.interestWrite();
        onWritable();
    }

    /**
     * --close-after: FIN after the last reply, then read and drop what still comes until the
     * client closes, as in a drain (a close with unread input would be a reset).
     * --reset-after: SO_LINGER 0, then close: the kernel sends a reset.
     */
    private void endByFault() throws IOException {
        loop.counters().endedByFault(faults.resets());
        if (faults.resets()) {
            wire.resetOnClose();
            close(CloseReason.FAULT, "reset after " + faults.lineLimit() + " lines (--reset-after)");
        } else {
            linger();
        }
    }

    void onWritable() throws IOException {
        if (tls != null && !tls.established()) {
            handshake();
            return;
        }
        int written = tls == null ? wire.write(pending) : tls.write(pending);
        sent(written);
        if (written > 0) {
            lastActivity = System.nanoTime();
        }
        if (pending.hasRemaining() || tls != null && tls.hasUnsent()) {
            return;
        }
        pending = null;
        if (inputEnded) {
            endOfInput();
        } else {
            wire.interestRead();
            if (tls != null && tls.hasInput()) {
                onReadable(); // records read before the backpressure began: no readiness event will come for them
            }
        }
    }

    private void sent(int n) {
        bytesOut += n;
        loop.counters().sent(n);
    }

    /**
     * No more input will be answered: the carried bytes of an incomplete sequence pass as they
     * are (the end of the stream, PROTOCOL.md §TCP 1), and once every reply is out the
     * connection finishes. Called again after a pending reply is written.
     */
    private void endOfInput() throws IOException {
        inputEnded = true;
        if (pending == null && carried > 0) {
            int n = carried;
            restoreCarry(loop.in);
            carried = 0;
            answer(loop.in, n);
        }
        if (pending != null) {
            return;
        }
        if (faults != null && faults.exhausted()) {
            endByFault();
        } else if (clientClosed) {
            if (tls != null) {
                tls.closeOutbound();
            }
            close(CloseReason.CLIENT, "closed by client");
        } else {
            linger();
        }
    }

    /**
     * Closing while the client may still be sending would make the kernel answer with a reset
     * and drop replies not yet delivered. So: FIN after the last reply, then read and drop
     * whatever still comes until the client closes (or the drain deadline closes us).
     */
    private void linger() throws IOException {
        if (tls != null) {
            tls.closeOutbound(); // close_notify, the TLS half-close, before the FIN
        }
        wire.shutdownOutput();
        lingering = true;
        wire.interestRead();
        discard();
    }

    /** Like a read, at most a few buffers per event: a client that keeps sending must not hold the loop. */
    private void discard() throws IOException {
        ByteBuffer view = loop.inView;
        for (int reads = 0; reads < READS_PER_EVENT; reads++) {
            view.clear();
            int n = wire.read(view);
            if (n < 0) {
                if (faults != null && faults.exhausted()) {
                    close(CloseReason.FAULT, "closed after " + faults.lineLimit() + " lines (--close-after)");
                } else {
                    close(CloseReason.DRAIN, "drained");
                }
                return;
            }
            discarded += n;
            if (view.hasRemaining()) {
                return;
            }
        }
    }

    /**
     * Drain, on the loop thread: answer what the kernel has already received, then end as if the
     * client had half-closed. A connection waiting to write finishes after its replies are out.
     */
    void finishInput() {
        if (tls != null && !tls.established()) {
            close(CloseReason.DRAIN, "the server stopped during the TLS handshake");
            return;
        }
        try {
            onReadable();
            if (!closed && !inputEnded) {
                endOfInput();
            }
        } catch (IOException e) {
            close(CloseReason.RESET, e.getMessage());
        }
    }

    /**
     * {@code detail} says more than the reason, for the debug log: "idle for 5m", the error's
     * message (which may quote a peer: the JSON log escapes it).
     */
    void close(CloseReason reason, String detail) {
        if (closed) {
            return;
        }
        if (preamble != null) {
            // Ended in its preamble otherwise than by a refusal (the client closed or reset, the
            // drain): it counts as served, so that accepted = closed + active stays true. A
            // balancer's plain health check connects and leaves this way (PROTOCOL.md §PROXY).
            preamble = null;
            loop.served(this);
        } else if (tls != null && !tls.established()) {
            // Never served: a refusal, whatever ended it (the client left, a reset, the drain);
            // a port scan or a TCP health check is no reason for a warning.
            refuse(Refusal.TLS_HANDSHAKE, detail, false);
            return;
        }
        closed = true;
        // The event needs the local address, which a closed socket no longer gives.
        LogEvent event = LOG.isLoggable(Level.DEBUG) ? closeEvent(reason, detail) : null;
        wire.close();
        loop.closed(reason, System.nanoTime() - openedAt);
        logDebug(event);
    }

    /**
     * Closes a connection that was never served (a PROXY header that is wrong or untrusted, a
     * TLS handshake that failed, either out of time): counted as a refusal, not as a close.
     * {@code warn}: one rate-limited warning, for what an operator should see (a forged or broken
     * header, plain text on a TLS port); else a debug line (a client that left mid-handshake).
     */
    void refuse(Refusal why, String detail, boolean warn) {
        if (closed) {
            return;
        }
        closed = true;
        preamble = null; // its buffer goes now, not when the loop's deadline scan drops this connection
        loop.refused(this, why, detail, warn); // before the close: the event names the local address
        wire.close();
    }

    /** Which protocol the connection speaks, for log events. */
    String protocol() {
        return tls == null ? "tcp" : "tls";
    }

    private static void logDebug(LogEvent event) {
        if (event != null) {
            event.log(LOG, Level.DEBUG);
        }
    }

    private LogEvent closeEvent(CloseReason reason, String detail) {
        String message = this + ": " + bytesIn + " bytes in, " + bytesOut + " out"
                + (discarded > 0 ? ", " + discarded + " unanswered after the drain began" : "") + ", " + detail;
        return withBalancer(LogEvent.of(Event.CONNECTION_CLOSED, message,
                field("protocol", "tcp"),
                field("local", wire.local()),
                field("peer", peer()),
                field("bytes_in", bytesIn),
                field("bytes_out", bytesOut),
                field("lines", lines),
                field("unanswered_bytes", discarded),
                field("duration_s", Duration.ofNanos(System.nanoTime() - openedAt)),
                field("reason", reason.label()),
                field("detail", detail)));
    }

    /** The connection's own address (the listener it came in on). */
    String local() {
        return wire.local();
    }

    /** A log event about this connection, with the balancer's address if a PROXY header came through one. */
    LogEvent withBalancer(LogEvent event) {
        return balancer == null ? event : event.with("proxy", SocketAddresses.format(balancer));
    }

    /** The client's address: the PROXY header's source, when one was believed, else the socket's peer. */
    String peer() {
        return SocketAddresses.format(peer != null ? peer : wire.remoteAddress());
    }

    @Override
    public String toString() {
        return "connection from " + peer()
                + (balancer == null ? "" : " via " + SocketAddresses.format(balancer));
    }
}
