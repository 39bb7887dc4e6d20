package upcase.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS between a connection's wire and its {@link Connection}: reads unwrap into the loop's
 * input buffer, replies wrap into the loop's network buffer. Touched only by the loop thread,
 * except the engine's delegated tasks, which run on the server's task executor while the
 * connection is parked (interest 0) and the loop does not touch the engine.
 *
 * <p>Memory: the big network buffers ({@link Buffers}) belong to the loop. A connection keeps
 * only what did not fit: an incomplete record read ({@link #partial}, under one record) and
 * ciphertext the kernel would not take yet ({@link #unsent}, under one wrap's worth). An idle
 * connection holds neither, only its engine.
 */
final class TlsWire {
    /** A TLS record's header: type, version (2), length (2). */
    private static final int HEADER = 5;
    private static final int ALERT = 21;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /**
     * One loop's network buffers, shared by its TLS connections: a connection borrows them for
     * one read or one write, like {@link EventLoop#in} and {@link EventLoop#out}.
     */
    static final class Buffers {
        final ByteBuffer in;
        final ByteBuffer out;

        /** {@code packetSize}: the engine's largest record on the wire (SSLSession#getPacketBufferSize). */
        Buffers(int packetSize) {
            // A leftover partial record plus one read of READ_SIZE; the plaintext of a full read
            // fits the loop's input buffer, so a read rarely leaves whole records behind.
            this.in = ByteBuffer.allocate(packetSize + EventLoop.READ_SIZE);
            // Four records per write(): a 64 KiB reply in one system call.
            this.out = ByteBuffer.allocate(4 * packetSize);
        }
    }

    /** Where a handshake step left the connection. */
    enum Progress {
        /** Established: application data may flow. */
        DONE,
        /** Waiting for the socket (interest set to read or write) or for delegated tasks (interest 0). */
        WAITING
    }

    private final SSLEngine engine;
    private final Wire wire;
    private final Buffers buffers;
    private byte[] partial;
    private int partialLength;
    private ByteBuffer unsent;
    private boolean established;
    private boolean inboundDone;
    private boolean eof;

    TlsWire(SSLEngine engine, Wire wire, Buffers buffers) throws SSLException {
        this.engine = engine;
        this.wire = wire;
        this.buffers = buffers;
        engine.beginHandshake();
    }

    boolean established() {
        return established;
    }

    /** The negotiated protocol, for logs: TLSv1.3 or TLSv1.2. */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    /**
     * One step of the handshake, as far as the socket allows without blocking. With delegated
     * tasks, parks the connection and runs them on {@code tasks}; {@code resume} then runs on the
     * loop thread (through {@code loop}) and should call this again.
     *
     * @throws SSLException the peer does not speak TLS acceptably (the alert, if any, is sent)
     * @throws java.io.EOFException the peer closed before the handshake finished
     */
    Progress handshake(Executor tasks, Executor loop, Runnable resume) throws IOException {
        try {
            while (true) {
                if (unsent != null && !flush()) {
                    wire.interestWrite();
                    return Progress.WAITING;
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        wire.interestNone();
                        tasks.execute(() -> {
                            Runnable task;
                            while ((task = engine.getDelegatedTask()) != null) {
                                task.run();
                            }
                            loop.execute(resume);
                        });
                        return Progress.WAITING;
                    }
                    case NEED_WRAP -> {
                        if (wrapControl() == 0) {
                            throw new SSLException("the TLS engine asked to send and produced nothing");
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapHandshake()) {
                            wire.interestRead();
                            return Progress.WAITING;
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        established = true;
                        return Progress.DONE;
                    }
                }
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** Returns false when a record is incomplete and the socket has no more for now. */
    private boolean unwrapHandshake() throws IOException {
        ByteBuffer net = fillIn();
        if (net == null) {
            throw new java.io.EOFException("closed by the client during the TLS handshake");
        }
        try {
            ByteBuffer scratch = ByteBuffer.allocate(0);
            SSLEngineResult result = engine.unwrap(net, scratch);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new java.io.EOFException("the client closed TLS during the handshake");
            }
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return true;
            }
            if (eof) {
                throw new java.io.EOFException("closed by the client in the middle of a TLS handshake record");
            }
            return false;
        } finally {
            keepPartial(net);
        }
    }

    /**
     * The loop's input network buffer, flipped: the partial record kept from before, then what
     * one read() gave, unless a whole record was already waiting. Null at the end of the stream
     * with nothing buffered.
     */
    private ByteBuffer fillIn() throws IOException {
        ByteBuffer net = buffers.in;
        net.clear();
        if (partialLength > 0) {
            net.put(partial, 0, partialLength);
        }
        if (!eof && !hasRecord(partial, partialLength)) {
            if (wire.read(net) < 0) {
                eof = true;
            }
        }
        net.flip();
        if (eof && !net.hasRemaining()) {
            return null;
        }
        return net;
    }

    /** Keeps what is left in {@code net} (an incomplete record, or records that did not fit) for the next read. */
    private void keepPartial(ByteBuffer net) {
        partialLength = net.remaining();
        if (partialLength == 0) {
            partial = null; // an idle connection keeps no buffer
            return;
        }
        if (partial == null || partial.length < partialLength) {
            partial = new byte[partialLength];
        }
        net.get(partial, 0, partialLength);
    }

    /**
     * Reads and decrypts into {@code dst} from its position, like SocketChannel#read: the bytes
     * added, 0 when nothing is there yet, -1 at the end (close_notify, or the end of the stream).
     * Stops before an alert record once it has produced data, so that the data is answered while
     * the engine can still send (a TLS 1.2 close_notify closes both directions).
     */
    int read(ByteBuffer dst) throws IOException {
        if (inboundDone) {
            return -1;
        }
        ByteBuffer net = fillIn();
        if (net == null) {
            return -1;
        }
        int start = dst.position();
        try {
            while (net.hasRemaining()) {
                if (dst.position() > start && net.get(net.position()) == ALERT) {
                    break;
                }
                SSLEngineResult result = engine.unwrap(net, dst);
                if (result.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                        && result.getHandshakeStatus() != HandshakeStatus.FINISHED) {
                    afterHandshakeMessage();
                }
                SSLEngineResult.Status status = result.getStatus();
                if (status == SSLEngineResult.Status.CLOSED) {
                    inboundDone = true;
                    break;
                }
                if (status != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                    break; // UNDERFLOW: an incomplete record; OVERFLOW: dst is full
                }
            }
        } finally {
            keepPartial(net);
        }
        int produced = dst.position() - start;
        if (produced == 0 && (inboundDone || (eof && !hasRecord(partial, partialLength)))) {
            return -1;
        }
        return produced;
    }

    /**
     * A handshake message after the handshake (a TLS 1.3 KeyUpdate or ticket, a TLS 1.2
     * renegotiation): rare and small, so its tasks run right here on the loop thread.
     */
    private void afterHandshakeMessage() throws IOException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status != HandshakeStatus.NEED_WRAP || wrapControl() == 0) {
                return; // nothing more to send: a closed engine may go on saying NEED_WRAP
            }
        }
    }

    /**
     * Bytes already read from the socket that belong to TLS: with a PROXY protocol header
     * before the handshake, what its reader read past the header. They are unwrapped before
     * anything read later.
     */
    void feed(ByteBuffer alreadyRead) {
        int n = alreadyRead.remaining();
        byte[] joined = new byte[partialLength + n];
        if (partialLength > 0) {
            System.arraycopy(partial, 0, joined, 0, partialLength);
        }
        alreadyRead.get(joined, partialLength, n);
        partial = joined;
        partialLength += n;
    }

    /** Whether a whole record waits in this connection's buffer: read() has more to give without the socket. */
    boolean hasInput() {
        return !inboundDone && hasRecord(partial, partialLength);
    }

    /** Whether ciphertext waits for the kernel: the connection must not be read until it is out (backpressure). */
    boolean hasUnsent() {
        return unsent != null;
    }

    /**
     * Encrypts and sends from {@code src}, like SocketChannel#write: returns the plaintext bytes
     * taken. Sends older ciphertext first; stops taking plaintext while ciphertext waits, so a
     * client that does not read holds at most one wrap's worth here.
     */
    int write(ByteBuffer src) throws IOException {
        if (unsent != null && !flush()) {
            return 0;
        }
        int start = src.position();
        ByteBuffer net = buffers.out;
        while (src.hasRemaining()) {
            net.clear();
            while (src.hasRemaining()) {
                SSLEngineResult result = engine.wrap(src, net);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new IOException("TLS is closed: the client sent close_notify");
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    break; // OVERFLOW: send what is wrapped, then go on
                }
            }
            net.flip();
            wire.write(net);
            if (net.hasRemaining()) {
                unsent = ByteBuffer.wrap(Arrays.copyOfRange(net.array(), net.position(), net.limit()));
                break;
            }
        }
        return src.position() - start;
    }

    /** Sends waiting ciphertext; returns whether all of it went. */
    boolean flush() throws IOException {
        wire.write(unsent);
        if (unsent.hasRemaining()) {
            return false;
        }
        unsent = null;
        return true;
    }

    /** Wraps what the engine has to say on its own (handshake messages, alerts) and sends what the kernel takes. */
    /** Returns the bytes it produced; 0 when the engine had nothing to say after all. */
    private int wrapControl() throws IOException {
        ByteBuffer net = buffers.out;
        net.clear();
        SSLEngineResult result;
        do {
            result = engine.wrap(EMPTY, net);
        } while (result.getStatus() == SSLEngineResult.Status.OK
                && result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && result.bytesProduced() > 0);
        net.flip();
        int produced = net.remaining();
        if (unsent != null) {
            // Behind older ciphertext, in order.
            ByteBuffer both = ByteBuffer.allocate(unsent.remaining() + net.remaining());
            both.put(unsent).put(net).flip();
            unsent = both;
            return produced;
        }
        wire.write(net);
        if (net.hasRemaining()) {
            unsent = ByteBuffer.wrap(Arrays.copyOfRange(net.array(), net.position(), net.limit()));
        }
        return produced;
    }

    /**
     * Our close_notify, before the FIN: the client then knows the replies are complete (a TLS
     * client treats a FIN without it as a possible truncation). Best effort: what the kernel
     * does not take at once is dropped with the connection.
     */
    void closeOutbound() {
        try {
            engine.closeOutbound();
            wrapControl();
            if (unsent != null) {
                flush();
            }
        } catch (IOException e) {
            // the peer is gone: nothing to tell it
        }
    }

    /** After a failed handshake: the engine's alert (protocol_version, bad_certificate ...), so the peer learns why. */
    private void sendAlert() {
        closeOutbound();
    }

    private static boolean hasRecord(ByteBuffer net) {
        int p = net.position();
        int available = net.remaining();
        return available >= HEADER && available >= HEADER + (((net.get(p + 3) & 0xff) << 8) | (net.get(p + 4) & 0xff));
    }

    private static boolean hasRecord(byte[] buf, int length) {
        return length >= HEADER && length >= HEADER + (((buf[3] & 0xff) << 8) | (buf[4] & 0xff));
    }
}
