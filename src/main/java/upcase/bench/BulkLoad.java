package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import upcase.tls.ClientContext;

/**
 * {@code upcase bench bulk}: one connection streams {@code lines} lines as fast as the socket takes
 * them while the replies are read and checked concurrently, by the same thread (the selector
 * reports both directions). Finishes when the last reply byte is checked, the server closes or
 * fails, or nothing moves for the timeout. With a warm-up, the clock starts once that many reply
 * bytes are checked (every byte is checked either way). With TLS the handshake comes before the
 * clock starts, and the figures are those of the plaintext.
 */
final class BulkLoad extends Loop {
    /** Big buffers: few system calls per megabyte. */
    static final int BUFFER = 256 * 1024;

    private final InetSocketAddress target;
    private final long timeout;
    private final long total;
    private final long warmupBytes;
    private final LineStream lines;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER);
    /** TLS towards the server; null for plain TCP. */
    private final ClientContext tlsContext;
    private SocketChannel channel;
    /** With TLS: the session over {@link #channel}; null for plain TCP. */
    private TlsChannel tls;
    private SelectionKey key;
    private volatile long startedAt;
    private volatile long finishedAt;
    /** When the warm-up's last reply byte was checked, and how many reply bytes that was; 0 until then. */
    private volatile long measuredFrom;
    private volatile long bytesBefore;
    private long lastProgress;
    private boolean writing = true;

    /**
     * @param total lines to stream, the warm-up's included
     * @param warmupBytes reply bytes checked before the clock starts
     */
    BulkLoad(Control control, Problems problems, InetSocketAddress target, long timeout, long total, long warmupBytes,
            Payload payload, ClientContext tlsContext) throws IOException {
        super(0, control, problems);
        this.tlsContext = tlsContext;
        this.target = target;
        this.timeout = timeout;
        this.total = total;
        this.warmupBytes = warmupBytes;
        this.lines = new LineStream(payload, payload.checker(), 0);
    }

    /**
     * From the first byte written (or the end of the warm-up) to the last reply byte checked (or
     * to the failure); 0 before the end, or if the warm-up never ended.
     */
    long nanos() {
        long end = finishedAt;
        long from = warmupBytes > 0 ? measuredFrom : startedAt;
        return end == 0 || from == 0 ? 0 : end - from;
    }

    /** Reply bytes checked after the warm-up. */
    long measuredBytes() {
        return tally.get(Count.REPLY_BYTES) - bytesBefore;
    }

    @Override
    void body() throws IOException, InterruptedException {
        signalReady();
        if (!control.awaitBegin() || !connect()) {
            return;
        }
        startedAt = System.nanoTime();
        lastProgress = startedAt;
        try {
            while (lines.replied() < total && channel != null && !control.cancelled()) {
                long now = System.nanoTime();
                if (now - lastProgress > timeout) {
                    tally.add(Count.ERRORS);
                    problems.add("nothing moved for " + Report.duration(timeout) + " (" + (total - lines.replied())
                            + " replies owed)");
                    return;
                }
                select(Math.min(lastProgress + timeout, now + HOUSEKEEPING), this::event);
            }
        } finally {
            finishedAt = System.nanoTime();
        }
    }

    private boolean connect() {
        try {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            channel.connect(target);
            key = channel.register(selector, SelectionKey.OP_CONNECT);
            long deadline = System.nanoTime() + timeout;
            while (!channel.finishConnect()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("no answer within " + Report.duration(timeout));
                }
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                selector.selectedKeys().clear();
            }
            if (tlsContext != null && !handshake(deadline)) {
                return false;
            }
            tally.add(Count.CONNECTS);
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            return true;
        } catch (IOException e) {
            connectFailed(e);
            closeAll();
            return false;
        }
    }

    /** Runs the TLS handshake, waiting on the selector for what it needs; false (counted) if it fails. */
    private boolean handshake(long deadline) {
        try {
            tls = new TlsChannel(channel, tlsContext.newEngine(), new TlsChannel.Scratch(BUFFER));
            TlsChannel.Step step;
            while ((step = tls.handshake()) != TlsChannel.Step.DONE) {
                if (System.nanoTime() - deadline > 0) {
                    handshakeFailed("tls: no handshake from " + tlsContext.server() + " within " + Report.duration(timeout));
                    closeAll();
                    return false;
                }
                key.interestOps(step == TlsChannel.Step.READ ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                selector.selectedKeys().clear();
            }
            negotiated(tls);
            return true;
        } catch (IOException | RuntimeException e) {
            handshakeFailed(tlsContext.failure(e));
            closeAll();
            return false;
        }
    }

    private void event(SelectionKey k) {
        if (k.isValid() && k.isReadable()) {
            read();
        }
        if (channel != null && k.isValid() && k.isWritable()) {
            write();
        }
    }

    private void write() {
        writeBuffer.clear();
        lines.fill(writeBuffer, total);
        writeBuffer.flip();
        long before = lines.started();
        try {
            lines.wrote(tls == null ? channel.write(writeBuffer) : tls.write(writeBuffer));
        } catch (IOException e) {
            failed(e, "write");
            closeAll();
            return;
        }
        tally.add(Count.SENT, lines.started() - before);
        if (writeBuffer.position() > 0) {
            lastProgress = System.nanoTime();
        }
        if (lines.sent() == total && writing && (tls == null || !tls.flushing())) {
            writing = false;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read() {
        readBuffer.clear();
        int n;
        try {
            n = tls == null ? channel.read(readBuffer) : tls.read(readBuffer);
        } catch (IOException e) {
            failed(e, "read");
            closeAll();
            return;
        }
        if (n < 0) {
            tally.add(Count.ERRORS);
            problems.add("closed by the server with " + (total - lines.replied()) + " replies owed");
            closeAll();
            return;
        }
        lastProgress = System.nanoTime();
        tally.add(Count.REPLY_BYTES, n);
        long replyBytes = tally.get(Count.REPLY_BYTES);
        if (measuredFrom == 0 && warmupBytes > 0 && replyBytes >= warmupBytes) {
            bytesBefore = replyBytes;
            measuredFrom = lastProgress;
        }
        readBuffer.flip();
        while (readBuffer.hasRemaining()) {
            switch (lines.read(readBuffer)) {
                case LineStream.OK -> tally.add(Count.REPLIES);
                case LineStream.MISMATCH -> {
                    tally.add(Count.MISMATCHES);
                    problems.add("reply differs from the expected bytes");
                }
                case LineStream.UNSOLICITED -> {
                    tally.add(Count.ERRORS);
                    problems.add("reply bytes for a line not sent");
                    closeAll();
                    return;
                }
                default -> { }
            }
        }
    }

    @Override
    void closeAll() {
        if (tls != null) {
            tls.close();
            tls = null;
        }
        if (key != null) {
            key.cancel();
            key = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing is all that was left to do
            }
            channel = null;
        }
    }
}
