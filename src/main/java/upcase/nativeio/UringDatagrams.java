package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * One UDP socket served through its own io_uring: a multishot recvmsg fills buffers of a
 * provided-buffer ring, one datagram each ({@link RecvmsgOut}: the source address, the packet
 * info, the payload), and each reply is a sendmsg from the buffer its request came in: the reply
 * overwrites the payload, its destination is the request's source and its control message the
 * request's packet info, so nothing is copied between the receive and the send but the payload.
 * The buffer goes back to the ring when the send completes, or at once when there is no reply.
 *
 * <p>Confined: the serving thread creates it (the ring binds to its creator), calls everything and
 * closes it, before the socket; the memory is that thread's arena's. Every length, id and count
 * the kernel reports is checked before it is used.
 *
 * <p>A completion is one of three kinds: {@link #isReceive} (a datagram in a buffer, or the
 * multishot receive ending: -ENOBUFS when every buffer is lent, which {@link #armReceive} undoes
 * once buffers are back), {@link #isShutDown} (the stop), or a send's, whose user_data is its
 * buffer id.
 */
public final class UringDatagrams implements DatagramSlots, AutoCloseable {
    /** The multishot receive's user_data; a send's is its buffer id, from 0. */
    private static final long RECEIVE = -1L;
    /** The user_data of the poll that reports the socket shut down for reading: the stop. */
    private static final long SHUT_DOWN = -2L;
    /** The user_data of the cancel that {@link #close} submits. */
    private static final long CANCEL = -3L;
    private static final long CANCEL_WAIT_NANOS = 1_000_000_000L;
    /** Reported by a socket shut down for reading, and by nothing a datagram does (which is POLLIN). */
    private static final int POLLRDHUP = 0x2000;
    private static final int MSG_PEEK = 0x2;
    private static final int MSG_DONTWAIT = 0x40;
    /** Per buffer, a multiple of 8 so that the control messages after it stay aligned. */
    private static final int NAME_ROOM = 32;
    /** struct msghdr on LP64: name, namelen, iov, iovlen, control, controllen, flags. */
    private static final long MSGHDR = 56;
    private static final long IOVEC = 16;
    private static final long SEND_STRIDE = MSGHDR + IOVEC;

    private final IoUring ring;
    private final ProvidedBuffers buffers;
    private final MemorySegment memory;
    private final int fd;
    private final int capacity;
    private final int controlRoom;
    private final int bufferSize;
    private final MemorySegment receiveHeader;
    private final MemorySegment peek;
    private final MemorySegment callState;
    private final MemorySegment sendHeaders;
    /** Payload bytes in each lent buffer, as {@link #take} checked them; -1 for one the header of which lied. */
    private final int[] payload;
    private int sendsInFlight;
    /** The multishot receive is submitted (or prepared) and has not ended. */
    private boolean receiveArmed;
    /** The shutdown poll is submitted (or prepared) and has not completed. */
    private boolean shutdownWatched;
    private boolean closed;

    /**
     * A ring and {@code count} buffers of {@code capacity} payload bytes each (a datagram that
     * fills one, or is longer, is reported {@link #truncated}), on the calling thread.
     *
     * @param packetInfo whether the socket reports each datagram's local address (a wildcard bind)
     */
    public UringDatagrams(Arena arena, NativeDatagramSocket socket, int count, int capacity, boolean packetInfo) throws IOException {
        this.fd = socket.fd();
        this.capacity = capacity;
        this.controlRoom = packetInfo ? PacketInfo.CAPACITY : 0;
        this.bufferSize = RecvmsgOut.HEADER + NAME_ROOM + controlRoom + capacity;
        // Room for a send per buffer and the receive's re-arm in one turn, and for the
        // completions of a turn without overflow: the multishot receive's, then the sends'.
        this.ring = IoUring.open(arena, Integer.highestOneBit(count) * 2, Integer.highestOneBit(count) * 8);
        try {
            this.buffers = new ProvidedBuffers(ring, arena, 0, count, bufferSize);
        } catch (IOException | RuntimeException e) {
            ring.close();
            throw e;
        }
        this.memory = buffers.memory();
        this.payload = new int[count];
        peek = arena.allocate(8, 8);
        callState = arena.allocate(Libc.CALL_STATE);
        receiveHeader = arena.allocate(MSGHDR, 8);
        receiveHeader.set(JAVA_INT, 8, NAME_ROOM);
        receiveHeader.set(JAVA_LONG, 40, controlRoom);
        sendHeaders = arena.allocate(SEND_STRIDE * count, 8);
        for (int id = 0; id < count; id++) {
            long header = id * SEND_STRIDE;
            long base = memory.address() + (long) id * bufferSize;
            sendHeaders.set(JAVA_LONG, header, base + RecvmsgOut.HEADER);
            sendHeaders.set(JAVA_LONG, header + 16, sendHeaders.address() + header + MSGHDR);
            sendHeaders.set(JAVA_LONG, header + 24, 1);
            sendHeaders.set(JAVA_LONG, header + MSGHDR, base + RecvmsgOut.HEADER + NAME_ROOM + controlRoom);
        }
    }

    /** Buffers in all: the most datagrams in hand at once. */
    public int count() {
        return buffers.count();
    }

    /** Buffers the kernel may still fill: the multishot receive ends (-ENOBUFS) when there is none. */
    public int available() {
        return buffers.count() - buffers.lent();
    }

    /** Replies submitted whose completion has not been read. */
    public int sendsInFlight() {
        return sendsInFlight;
    }

    /**
     * Prepares a poll that completes, {@link #isShutDown}, once the socket is shut down for
     * reading: how another thread's stop reaches the loop. A shutdown does not end a multishot
     * receive (its retries are non-blocking: EAGAIN, not the end of input a blocking one gets),
     * but it wakes the socket's waiters, and the socket then polls POLLRDHUP.
     */
    public void watchShutdown() throws IOException {
        ring.pollAdd(fd, POLLRDHUP, false, SHUT_DOWN);
        shutdownWatched = true;
    }

    public boolean isShutDown(int i) {
        return ring.userData(i) == SHUT_DOWN;
    }

    /**
     * Whether no datagram waits in the socket: a non-blocking peek of one byte (EAGAIN: none).
     * With every completion read, a receive's datagrams are either still in the socket or in a
     * completion already seen: the ring moves them only inside this thread's io_uring_enter
     * (deferred task work), or, on a kernel without it, on this thread's way back from a system
     * call such as this one, so the caller looks at {@link #completions} again after it.
     */
    public boolean socketQueueEmpty() throws IOException {
        long n;
        try {
            n = (long) Libc.RECV.invokeExact(callState, fd, peek, 1L, MSG_PEEK | MSG_DONTWAIT);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (n >= 0) {
            return false;
        }
        int errno = Libc.errno(callState);
        if (errno == Libc.EAGAIN) {
            return true;
        }
        if (SystemCallException.unusable(errno)) {
            throw new SystemCallException("recv", errno);
        }
        return false; // a pending socket error: reported and cleared; the queue is looked at again
    }

    /** Completions waiting to be read. */
    public int completions() {
        return ring.completions();
    }

    /** Prepares the multishot receive; it goes with the next {@link #submitAndWait}. */
    public void armReceive() throws IOException {
        ring.recvmsgMultishot(fd, receiveHeader, buffers.group(), RECEIVE);
        receiveArmed = true;
    }

    /**
     * Whether the multishot receive goes on: false once a completion without IORING_CQE_F_MORE
     * has been {@link #consumed} (no buffer left, a datagram of no payload, an error); then
     * {@link #armReceive} again.
     */
    public boolean receiveArmed() {
        return receiveArmed;
    }

    /**
     * The loop's one system call per turn: submits what is prepared and waits until
     * {@code minComplete} completions are waiting or {@code timeoutNanos} pass; returns how
     * many are waiting, for {@link #isReceive} and the others, by index.
     */
    public int submitAndWait(int minComplete, long timeoutNanos) throws IOException {
        ring.submitAndWait(minComplete, timeoutNanos);
        return ring.completions();
    }

    public boolean isReceive(int i) {
        return ring.userData(i) == RECEIVE;
    }

    /** The completion's result: for a receive, the bytes in its buffer; for a send, the bytes sent; or minus errno. */
    public int result(int i) {
        return ring.result(i);
    }

    /**
     * The error that ended the multishot receive of completion {@code i} (a negative result),
     * or null for -ENOBUFS: every buffer was lent, and the receive is armed again once one is back.
     */
    public SystemCallException receiveError(int i) {
        int errno = -ring.result(i);
        return errno == Libc.ENOBUFS ? null : new SystemCallException("recvmsg", errno);
    }

    /** Gives completions 0 to {@code n} - 1 back to the kernel, noting which requests they ended. */
    public void consumed(int n) {
        for (int i = 0; i < n; i++) {
            long userData = ring.userData(i);
            if (userData == RECEIVE && (ring.flags(i) & IoUring.CQE_F_MORE) == 0) {
                receiveArmed = false;
            } else if (userData == SHUT_DOWN) {
                shutdownWatched = false;
            }
        }
        ring.consumed(n);
    }

    /**
     * Takes the buffer of receive completion {@code i} (result 0 or more) and returns its id.
     * A header whose lengths do not add up is an {@link IllegalStateException} after the buffer
     * has gone back; a buffer id the kernel never lent is one that leaves the ring as it was.
     */
    public int take(int i) {
        int result = ring.result(i);
        int id = buffers.take(ring.flags(i), result);
        try {
            payload[id] = RecvmsgOut.payloadInBuffer(memory, (long) id * bufferSize, bufferSize, result, NAME_ROOM, controlRoom);
        } catch (IllegalStateException e) {
            buffers.recycle(id);
            throw e;
        }
        return id;
    }

    /** Whether the datagram in buffer {@code id} did not fit: cut by the kernel, or exactly filling it. */
    @Override
    public boolean truncated(int id) {
        return (RecvmsgOut.flags(memory, (long) id * bufferSize) & Libc.MSG_TRUNC) != 0 || payload[id] >= capacity;
    }

    /** The source port of the datagram in buffer {@code id}; no allocation. */
    @Override
    public int sourcePort(int id) {
        int length = RecvmsgOut.nameLength(memory, (long) id * bufferSize);
        if (length < 4) {
            throw new IllegalStateException("recvmsg reported a " + length + "-byte address: no port in it");
        }
        return Sockaddr.port(memory, (long) id * bufferSize + RecvmsgOut.HEADER);
    }

    @Override
    public InetSocketAddress source(int id) {
        long at = (long) id * bufferSize;
        return Sockaddr.decode(memory, at + RecvmsgOut.HEADER, RecvmsgOut.nameLength(memory, at));
    }

    /** Copies the payload of buffer {@code id} into {@code into} and returns its length. */
    @Override
    public int copyPayload(int id, byte[] into) {
        int length = Math.min(payload[id], capacity);
        MemorySegment.copy(memory, JAVA_BYTE, payloadAt(id), into, 0, length);
        return length;
    }

    /**
     * Sends {@code length} bytes of {@code reply} to the source of the datagram in buffer
     * {@code id}, from the address it came to, with the next {@link #submitAndWait}; the buffer
     * stays lent until the send's completion, given to {@link #sent}.
     */
    public void reply(int id, byte[] reply, int length) throws IOException {
        if (length > capacity) {
            throw new IllegalArgumentException(length + " bytes do not fit a " + capacity + "-byte buffer");
        }
        MemorySegment.copy(reply, 0, memory, JAVA_BYTE, payloadAt(id), length);
        long at = (long) id * bufferSize;
        long header = id * SEND_STRIDE;
        long control = 0; // NULL
        int controlLength = 0;
        int received = RecvmsgOut.controlLength(memory, at);
        if (controlRoom > 0 && (RecvmsgOut.flags(memory, at) & Libc.MSG_CTRUNC) == 0) {
            long base = at + RecvmsgOut.HEADER + NAME_ROOM;
            int found = PacketInfo.prepareReply(memory, base, received);
            if (found >= 0) {
                controlLength = PacketInfo.length(memory, base + found);
                control = memory.address() + base + found;
            }
        }
        sendHeaders.set(JAVA_INT, header + 8, RecvmsgOut.nameLength(memory, at));
        sendHeaders.set(JAVA_LONG, header + 32, control);
        sendHeaders.set(JAVA_LONG, header + 40, controlLength);
        sendHeaders.set(JAVA_LONG, header + MSGHDR + 8, length);
        ring.sendmsg(fd, sendHeaders.address() + header, 0, id);
        sendsInFlight++;
    }

    /** Gives buffer {@code id} back to the kernel: a datagram with no reply, or one whose reply is sent. */
    public void recycle(int id) {
        buffers.recycle(id);
    }

    /**
     * The buffer of send completion {@code i}, checked to be one lent with a reply in it; the
     * caller reads the {@link #result} and then {@link #recycle}s it.
     */
    public int sent(int i) {
        long id = ring.userData(i);
        if (id < 0 || id >= buffers.count() || !buffers.isLent((int) id)) {
            throw new IllegalStateException("io_uring completed a send for buffer " + id + ", which holds no reply");
        }
        sendsInFlight--;
        return (int) id;
    }

    /** The length of the reply in buffer {@code id}, once sent. */
    public int replyLength(int id) {
        return (int) sendHeaders.get(JAVA_LONG, id * SEND_STRIDE + MSGHDR + 8);
    }

    private long payloadAt(int id) {
        return (long) id * bufferSize + RecvmsgOut.HEADER + NAME_ROOM + controlRoom;
    }

    /**
     * Closes the ring, once, after cancelling what it still has on the socket and waiting (up to
     * {@link #CANCEL_WAIT_NANOS}) for their completions. A ring's requests hold the socket open:
     * closed with them in flight, the ring would be torn down later by a kernel worker, and the
     * socket's port stay bound after the server said it stopped. The memory goes with the arena, after.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cancelAll();
        } catch (IOException | RuntimeException e) {
            // The ring is closed all the same: the kernel cancels on its own, a moment later.
        } finally {
            ring.close();
        }
    }

    private void cancelAll() throws IOException {
        if (!receiveArmed && !shutdownWatched && sendsInFlight == 0) {
            return;
        }
        ring.cancelAll(fd, CANCEL);
        boolean cancelDone = false;
        long deadline = System.nanoTime() + CANCEL_WAIT_NANOS;
        while ((!cancelDone || receiveArmed || shutdownWatched || sendsInFlight > 0) && System.nanoTime() - deadline < 0) {
            int n = submitAndWait(1, CANCEL_WAIT_NANOS);
            for (int i = 0; i < n; i++) {
                long userData = ring.userData(i);
                if (userData == CANCEL) {
                    cancelDone = true;
                } else if (userData >= 0 && userData < buffers.count() && buffers.isLent((int) userData)) {
                    sendsInFlight--;
                    buffers.recycle((int) userData);
                }
            }
            consumed(n);
        }
    }
}
