package upcase.tcp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import upcase.nativeio.IoUring;
import upcase.nativeio.ProvidedBuffers;
import upcase.nativeio.SystemCallException;
import upcase.net.SocketAddresses;

/**
 * The io_uring engine's {@link Wire}: completions under the readiness-shaped interface that
 * {@link Connection} drives. Touched only by the loop thread.
 *
 * <p>Reading: one multishot receive per connection fills buffers of the loop's provided-buffer
 * ring; each completion queues its buffer id here, and the poller reports the connection
 * readable while its interest is read and the queue holds bytes (or the end, or an error), turn
 * after turn, as level-triggered epoll would. {@link #read} copies out and gives each emptied
 * buffer back to the kernel at once.
 *
 * <p>Bounded memory: a connection holds at most {@link #HELD_WHILE_READ} buffers while it is
 * read (what one readiness event reads), {@link #HELD_UNDER_BACKPRESSURE} while it is not (a
 * reply waits for the client, a --delay, a TLS task). At that count its receive is cancelled, and
 * the client's further bytes wait in the kernel's socket buffer (TCP's own flow control) until
 * the connection has read what it holds; then the receive is armed again. What the kernel had
 * already received into buffers before the cancel took effect (a multishot receive takes up to
 * 32 buffers per wake-up) is copied out to {@link #overflow}, a heap array freed once read, and
 * the buffers go back at once: so however many clients stop reading, each holds at most its few
 * buffers and the ring stays with the others (measured by UringEngineTest: without the bound one
 * slow reader took the whole ring and no other connection was read).
 *
 * <p>Writing: {@link #write} copies into a native send buffer that the wire borrows from the
 * poller's pool while bytes are in it (an idle connection holds none) and submits a send; while
 * one is in flight, further writes append behind it (the kernel reads only the range it was
 * given), and once the buffer is full a write takes 0 bytes: the connection then sets write
 * interest, and the send's completion makes it writable. A short send is resubmitted from where
 * it stopped. {@link #shutdownOutput} waits for the queued bytes (the FIN after the replies).
 *
 * <p>Closing: the descriptor is closed exactly once, only after every request that names it has
 * completed: {@link #close} cancels the receive, lets a send in flight finish (as the kernel
 * finishes its socket buffer after close; the poller cancels it after
 * {@link UringPoller#LINGER_NANOS}), and the last completion closes the descriptor and frees the
 * slot. Until then the kernel cannot give the number to a new connection, so no completion and
 * no call can reach the wrong socket.
 */
final class UringWire implements Wire {
    static final int READ = 1;
    static final int WRITE = 2;
    /** Buffers a connection being read may hold: a readiness event's reads (4 of EventLoop's 64 KiB). */
    static final int HELD_WHILE_READ = 16;
    /** Buffers a connection not being read may hold before its receive is cancelled. */
    static final int HELD_UNDER_BACKPRESSURE = 2;

    private final UringPoller poller;
    private final IoUring ring;
    private final ProvidedBuffers buffers;
    private final int fd;
    private final InetSocketAddress remote;
    private Connection connection;
    private long token = -1;
    private int interest;
    private String local;

    /** Received buffers not yet read: ids and lengths, a ring of {@link #queued} entries from {@link #head}. */
    private int[] ids = new int[4];
    private int[] lengths = new int[4];
    private int head;
    private int queued;
    /** Bytes of the head buffer already read. */
    private int headOffset;
    /** Bytes received past the bound, after every queued buffer: [overflowRead, overflowEnd); null when empty. */
    private byte[] overflow;
    private int overflowRead;
    private int overflowEnd;
    private boolean recvArmed;
    private boolean recvCancelled;
    private boolean endOfStream;
    /** A failed receive or send: the next read or write throws it. */
    private IOException failure;

    /** The borrowed send buffer, null while empty; bytes [sent, end) are unsent, [sent, flightEnd) in flight. */
    private MemorySegment sendBuffer;
    private int sent;
    private int flightEnd;
    private int end;
    private boolean sending;
    private boolean shutdownPending;

    private boolean closed;
    private boolean finished;
    /** For the poller's ready list: already in it. */
    boolean listed;
    /** In the poller's list of receives that ended for want of buffers (ENOBUFS). */
    boolean starved;
    /** When {@link #close} came, for the poller's linger bound on a send still in flight. */
    long closedAt;

    UringWire(UringPoller poller, int fd, InetSocketAddress remote) {
        this.poller = poller;
        this.ring = poller.ring();
        this.buffers = poller.buffers();
        this.fd = fd;
        this.remote = remote;
    }

    void registered(Connection c, long token) {
        this.connection = c;
        this.token = token;
    }

    Connection connection() {
        return connection;
    }

    int fd() {
        return fd;
    }

    long token() {
        return token;
    }

    boolean isClosed() {
        return closed;
    }

    boolean sending() {
        return sending;
    }

    /** For the poller's ready list: what the connection would be told now. */
    boolean readable() {
        return interest == READ && (queued > 0 || overflow != null || endOfStream || failure != null);
    }

    boolean writable() {
        return interest == WRITE && (failure != null || sendBuffer == null || end < sendBuffer.byteSize());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (queued == 0 && overflow == null) {
            if (failure != null) {
                throw failure;
            }
            return endOfStream ? -1 : 0;
        }
        int copied = 0;
        byte[] array = dst.array();
        while (queued > 0 && dst.hasRemaining()) {
            int id = ids[head];
            int n = Math.min(lengths[head] - headOffset, dst.remaining());
            buffers.copy(id, headOffset, array, dst.arrayOffset() + dst.position(), n);
            dst.position(dst.position() + n);
            copied += n;
            headOffset += n;
            if (headOffset == lengths[head]) {
                buffers.recycle(id);
                head = (head + 1) & (ids.length - 1);
                queued--;
                headOffset = 0;
            }
        }
        if (queued == 0 && overflow != null && dst.hasRemaining()) {
            int n = Math.min(overflowEnd - overflowRead, dst.remaining());
            System.arraycopy(overflow, overflowRead, array, dst.arrayOffset() + dst.position(), n);
            dst.position(dst.position() + n);
            copied += n;
            overflowRead += n;
            if (overflowRead == overflowEnd) {
                overflow = null;
                overflowRead = 0;
                overflowEnd = 0;
            }
        }
        if (wantsReceive() && !starved) {
            armReceive(); // cancelled at the bound, and read empty since
        }
        return copied;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("the connection is closed");
        }
        int wanted = src.remaining();
        if (sendBuffer == null) {
            sendBuffer = poller.sendBuffer(wanted);
        } else if (!sending && end == 0 && sendBuffer.byteSize() < wanted) {
            poller.giveBack(sendBuffer);
            sendBuffer = poller.sendBuffer(wanted);
        }
        int n = Math.min((int) sendBuffer.byteSize() - end, wanted);
        if (n == 0) {
            return 0;
        }
        MemorySegment.copy(src.array(), src.arrayOffset() + src.position(), sendBuffer, JAVA_BYTE, end, n);
        end += n;
        src.position(src.position() + n);
        if (!sending) {
            submitSend();
        }
        return n;
    }

    private void submitSend() throws IOException {
        ring.send(fd, sendBuffer, sent, end - sent, UringPoller.SEND | token);
        flightEnd = end;
        sending = true;
    }

    /** The multishot receive's completion: {@code result} bytes in the buffer {@code flags} names, the end, or an error. */
    void received(int result, int flags) throws IOException {
        if ((flags & IoUring.CQE_F_MORE) == 0) {
            recvArmed = false;
        }
        if (result > 0) {
            int id = buffers.take(flags, result);
            int bound = interest == READ ? HELD_WHILE_READ : HELD_UNDER_BACKPRESSURE;
            if (closed) {
                buffers.recycle(id);
            } else if (overflow != null || queued >= bound) {
                spill(id, result); // after everything queued, so the order holds
            } else {
                enqueue(id, result);
            }
            if (!closed && queued >= bound && recvArmed && !recvCancelled) {
                cancelReceive();
            }
        } else if (result == 0) {
            endOfStream = true;
        } else if (result == -IoUring.ENOBUFS) {
            if (!closed) {
                poller.starved(this); // re-armed once buffers come back
            }
        } else if (result != -IoUring.ECANCELED) {
            failure = SystemCallException.of("recv", -result);
        }
        if (!recvArmed) {
            recvCancelled = false;
            if (closed) {
                finish();
                return;
            }
            if (result != -IoUring.ENOBUFS && wantsReceive()) {
                armReceive();
            }
        }
        poller.listReady(this);
    }

    /** From the poller, after an ENOBUFS: buffers are back. */
    void rearm() throws IOException {
        starved = false;
        if (wantsReceive()) {
            armReceive();
        }
    }

    /** Read interest, nothing held (what a cancel at the bound left is read first), no end, no error. */
    private boolean wantsReceive() {
        return !closed && !recvArmed && interest == READ && queued == 0 && overflow == null && !endOfStream
                && failure == null;
    }

    private void armReceive() throws IOException {
        ring.recvMultishot(fd, buffers.group(), UringPoller.RECV | token);
        recvArmed = true;
    }

    private void cancelReceive() {
        try {
            ring.cancel(UringPoller.RECV | token, UringPoller.CANCEL | token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recvCancelled = true;
    }

    /** Copies a buffer past the bound out to {@link #overflow} and gives it back. */
    private void spill(int id, int length) {
        if (overflow == null) {
            overflow = new byte[Math.max(length, buffers.size() * 2)];
        } else if (overflowEnd + length > overflow.length) {
            overflow = java.util.Arrays.copyOf(overflow, Math.max(overflowEnd + length, overflow.length * 2));
        }
        buffers.copy(id, 0, overflow, overflowEnd, length);
        overflowEnd += length;
        buffers.recycle(id);
    }

    private void enqueue(int id, int length) {
        if (queued == ids.length) {
            int[] newIds = new int[ids.length * 2];
            int[] newLengths = new int[ids.length * 2];
            for (int i = 0; i < queued; i++) {
                newIds[i] = ids[(head + i) & (ids.length - 1)];
                newLengths[i] = lengths[(head + i) & (ids.length - 1)];
            }
            ids = newIds;
            lengths = newLengths;
            head = 0;
        }
        int at = (head + queued) & (ids.length - 1);
        ids[at] = id;
        lengths[at] = length;
        queued++;
    }

    /** The send's completion: {@code result} bytes sent, or an error. */
    void sent(int result) throws IOException {
        sending = false;
        if (result < 0) {
            if (!closed || result != -IoUring.ECANCELED) {
                failure = SystemCallException.of("send", -result);
            }
            releaseSendBuffer();
        } else {
            if (result > flightEnd - sent) {
                throw new IllegalStateException("send reported " + result + " bytes for " + (flightEnd - sent));
            }
            sent += result;
            if (sent < end) {
                submitSend(); // a short send, or bytes written behind it
            } else {
                releaseSendBuffer();
                if (shutdownPending) {
                    shutdownPending = false;
                    shutdownNow();
                }
            }
        }
        if (closed) {
            finish();
            return;
        }
        poller.listReady(this);
    }

    private void releaseSendBuffer() {
        if (sendBuffer != null) {
            poller.giveBack(sendBuffer);
            sendBuffer = null;
        }
        sent = 0;
        end = 0;
        flightEnd = 0;
    }

    private void shutdownNow() {
        try {
            poller.sockets().shutdownOutput(fd);
        } catch (IOException e) {
            failure = e; // the peer is gone: reported at the next read or write
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (sending || end > 0) {
            shutdownPending = true; // the FIN follows the replies still queued
        } else {
            poller.sockets().shutdownOutput(fd);
        }
    }

    @Override
    public void resetOnClose() throws IOException {
        poller.sockets().resetOnClose(fd);
    }

    /**
     * The connection is done with the wire. Buffers held go back at once; the receive is
     * cancelled; a send in flight goes on; the descriptor is closed by the last completion.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedAt = System.nanoTime();
        interest = 0;
        while (queued > 0) {
            buffers.recycle(ids[head]);
            head = (head + 1) & (ids.length - 1);
            queued--;
        }
        headOffset = 0;
        overflow = null;
        if (recvArmed && !recvCancelled) {
            cancelReceive();
        }
        if (sending) {
            poller.lingering(this);
        }
        finish();
    }

    /** Once nothing names the descriptor any more: close it and free the slot, once. */
    private void finish() {
        if (finished || recvArmed || sending) {
            return;
        }
        finished = true;
        releaseSendBuffer();
        poller.sockets().close(fd);
        if (token >= 0) {
            poller.released(token);
        }
    }

    /** From the poller when its loop ends: whatever is still in flight is cancelled (the ring closes next). */
    void abandon() {
        recvArmed = false;
        sending = false;
        finish();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Asked for log events only, so fetched then and kept. */
    @Override
    public String local() {
        if (local == null) {
            local = closed ? null : NativeWire.localOf(poller.sockets(), fd);
        }
        return local == null ? "a closed socket" : local;
    }

    @Override
    public void interestRead() {
        interest(READ);
    }

    @Override
    public void interestWrite() {
        interest(WRITE);
    }

    @Override
    public void interestNone() {
        interest(0);
    }

    private void interest(int wanted) {
        if (wanted == interest || closed) {
            return;
        }
        interest = wanted;
        if (wantsReceive() && !starved) {
            try {
                armReceive();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (wanted != 0) {
            poller.listReady(this); // what is queued already is reported, as level-triggered epoll would
        }
    }

    @Override
    public String toString() {
        return "fd " + fd + " from " + SocketAddresses.format(remote);
    }

    /** For tests of the bound: the buffers this wire holds. */
    int held() {
        return queued;
    }

}
