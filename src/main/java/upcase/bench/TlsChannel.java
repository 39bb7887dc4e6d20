package upcase.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS on one non-blocking connection of a load thread: an {@link SSLEngine} driven by hand, with
 * plaintext in and out like the channel's own {@code read} and {@code write}. Only the owning
 * load thread calls it.
 *
 * <p>Records are read and written through the thread's {@link Scratch} buffers; a connection
 * keeps bytes of its own only between calls (a record the network cut in two, ciphertext the
 * socket did not take), so thousands of TLS connections cost their engines, not two 17 KB
 * packet buffers each. Delegated tasks (key exchange, the certificate check) run on the load
 * thread: a client's handshake work is part of what a load generator spends.
 */
final class TlsChannel {
    /** What {@link #handshake} waits for. */
    enum Step {
        DONE,
        READ,
        WRITE
    }

    /** One load thread's buffers for the records of all its TLS connections. */
    static final class Scratch {
        /** Ciphertext read in one call: at most the plaintext buffer a caller hands to {@link #read}. */
        final ByteBuffer in;
        /** Ciphertext of one call's writes: a few records. */
        final ByteBuffer out = ByteBuffer.allocateDirect(128 * 1024);
        /** Where handshake records' (absent) plaintext goes. */
        final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);

        /** @param readSize the size of the buffers the thread reads plaintext into (at least 64 KiB) */
        Scratch(int readSize) {
            in = ByteBuffer.allocateDirect(readSize);
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final Scratch scratch;
    /** The largest record the engine writes or reads. */
    private final int packet;
    /** A record cut short by the network, ready to be read; null when none. */
    private ByteBuffer inLeft;
    /** Ciphertext the socket has not taken yet, ready to be written; null when none. */
    private ByteBuffer outLeft;
    /** The server's close_notify came: nothing more will. */
    private boolean inboundDone;
    /** How many ciphertext bytes the last {@link #receive} unwrapped. */
    private int consumed;

    /** Starts the handshake: {@link #handshake} sends the first flight. */
    TlsChannel(SocketChannel channel, SSLEngine engine, Scratch scratch) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.scratch = scratch;
        this.packet = engine.getSession().getPacketBufferSize();
        engine.beginHandshake();
    }

    /**
     * Moves the handshake on as far as the socket allows.
     *
     * @return DONE once it is over (application data may flow), or what it waits for
     * @throws IOException the handshake failed: the certificate refused, an alert, the server gone
     */
    Step handshake() throws IOException {
        while (true) {
            if (outLeft != null && !flush()) {
                return Step.WRITE;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    ByteBuffer sink = scratch.sink;
                    sink.clear();
                    if (receive(sink, true) < 0) {
                        throw new EOFException(); // ClientContext.failure says who closed, and when
                    }
                    if (sink.position() > 0) {
                        throw new SSLException("the server sent data before the handshake ended");
                    }
                    if (consumed == 0 && needsUnwrap()) {
                        return Step.READ;
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return Step.DONE;
                }
            }
        }
    }

    private boolean needsUnwrap() {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    /** What a handshake agreed on: {@code TLSv1.3}, {@code TLS_AES_128_GCM_SHA256}. */
    record Negotiated(String protocol, String cipher) {}

    Negotiated negotiated() {
        SSLSession session = engine.getSession();
        return new Negotiated(session.getProtocol(), session.getCipherSuite());
    }

    /**
     * Reads what the socket has and decrypts it into {@code dst}, whose free space must be at
     * least the thread's scratch size (then every whole record read fits, and none is left
     * waiting for a readiness event that would never come).
     *
     * @return plaintext bytes (0 when only part of a record, or a post-handshake message, came);
     *     -1 at the end of the stream or after the server's close_notify
     */
    int read(ByteBuffer dst) throws IOException {
        if (inboundDone) {
            return -1;
        }
        return receive(dst, false);
    }

    /**
     * Encrypts what it can of {@code src} (a few records at most) and writes it; with an empty
     * {@code src}, only writes what the socket did not take before.
     *
     * @return plaintext bytes taken from {@code src}; 0 while earlier ciphertext is still unwritten
     */
    int write(ByteBuffer src) throws IOException {
        if (outLeft != null && !flush()) {
            return 0;
        }
        ByteBuffer out = scratch.out;
        out.clear();
        int before = src.position();
        while (src.hasRemaining() && out.remaining() >= packet) {
            SSLEngineResult result = engine.wrap(src, out);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("the TLS session is closed");
            }
            afterWrap(result);
        }
        out.flip();
        send(out);
        return src.position() - before;
    }

    /** Whether ciphertext waits for the socket: the caller keeps its write interest until it is written. */
    boolean flushing() {
        return outLeft != null;
    }

    /** Sends close_notify if the socket takes it at once; the caller then closes the channel. */
    void close() {
        try {
            engine.closeOutbound();
            if (outLeft == null) {
                ByteBuffer out = scratch.out;
                out.clear();
                engine.wrap(EMPTY, out);
                out.flip();
                channel.write(out);
            }
        } catch (IOException | RuntimeException e) {
            // the connection is being closed either way (after a failed handshake the engine may refuse)
        }
    }

    /** One read from the socket, and every whole record in it unwrapped; see {@link #read}. */
    private int receive(ByteBuffer dst, boolean handshaking) throws IOException {
        ByteBuffer in = scratch.in;
        in.clear();
        in.limit(Math.min(in.capacity(), dst.remaining()));
        if (inLeft != null) {
            in.put(inLeft);
            inLeft = null;
        }
        int n = channel.read(in);
        in.flip();
        int start = dst.position();
        consumed = 0;
        while (in.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(in, dst);
            consumed += result.bytesConsumed();
            switch (result.getStatus()) {
                case OK, BUFFER_UNDERFLOW -> { }
                case CLOSED -> inboundDone = true;
                case BUFFER_OVERFLOW -> {
                    // The JDK checks the room a record needs, from its header, before whether all of
                    // it is there. Every whole record read fits in dst, so this one is cut short.
                    if (in.remaining() > dst.remaining()) {
                        throw new SSLException("a record larger than " + dst.remaining() + " bytes of plaintext");
                    }
                }
            }
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
            HandshakeStatus status = result.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
                status = engine.getHandshakeStatus();
            }
            if (handshaking) {
                if (status != HandshakeStatus.NEED_UNWRAP && status != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    break; // the handshake goes on by wrapping, or is over: what follows is read later
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                wrapHandshake(); // after the handshake: a TLS 1.3 key update to answer
            }
        }
        if (in.hasRemaining()) {
            inLeft = ByteBuffer.allocate(in.remaining()).put(in).flip();
        }
        int produced = dst.position() - start;
        return produced == 0 && (n < 0 || inboundDone) ? -1 : produced;
    }

    private void wrapHandshake() throws IOException {
        ByteBuffer out = scratch.out;
        out.clear();
        SSLEngineResult result = engine.wrap(EMPTY, out);
        out.flip();
        send(out);
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            // The engine gave up and wrote its alert: whatever it failed on is thrown by now, or here.
            throw new SSLException("the handshake failed");
        }
        afterWrap(result);
    }

    private void afterWrap(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Writes {@code out}; what the socket does not take is kept for {@link #flush}. */
    private void send(ByteBuffer out) throws IOException {
        if (outLeft != null) {
            // Behind bytes still unwritten (a key update answered while a write waits): in order.
            outLeft = ByteBuffer.allocate(outLeft.remaining() + out.remaining()).put(outLeft).put(out).flip();
            return;
        }
        if (out.hasRemaining()) {
            channel.write(out);
        }
        if (out.hasRemaining()) {
            outLeft = ByteBuffer.allocate(out.remaining()).put(out).flip();
        }
    }

    /** Writes what was left; true when nothing is. */
    private boolean flush() throws IOException {
        channel.write(outLeft);
        if (!outLeft.hasRemaining()) {
            outLeft = null;
        }
        return outLeft == null;
    }
}
