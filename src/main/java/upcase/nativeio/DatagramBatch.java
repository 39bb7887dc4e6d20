package upcase.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The native memory of one {@code recvmmsg} and the {@code sendmmsg} of its replies: for each of
 * {@link #slots()} datagrams a {@code struct mmsghdr}, an iovec, room for the source address,
 * the control message and {@link #capacity()} bytes of payload, all in the owner's arena. A reply
 * reuses its request's slot: its payload overwrites the request's, its destination is the
 * request's source and its control message the request's packet info, so nothing is copied
 * between the receive and the send but the payload.
 *
 * <p>Confined: the thread that owns the arena, the reply loop, is the only one to touch it.
 * Every length the kernel writes (msg_len, msg_namelen, msg_controllen) is checked against the
 * slot it describes before it is used.
 */
public final class DatagramBatch implements DatagramSlots {
    /** struct iovec { void *iov_base; size_t iov_len; } */
    private static final StructLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("base"), JAVA_LONG.withName("len"));
    /** struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; } on LP64 */
    private static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("name"), JAVA_INT.withName("namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("iov"), JAVA_LONG.withName("iovlen"),
            ADDRESS.withName("control"), JAVA_LONG.withName("controllen"),
            JAVA_INT.withName("flags"), MemoryLayout.paddingLayout(4),
            JAVA_INT.withName("len"), MemoryLayout.paddingLayout(4));
    private static final long HEADER_SIZE = MMSGHDR.byteSize();
    private static final long NAME = offset("name");
    private static final long NAMELEN = offset("namelen");
    private static final long IOV = offset("iov");
    private static final long IOVLEN = offset("iovlen");
    private static final long CONTROL = offset("control");
    private static final long CONTROLLEN = offset("controllen");
    private static final long FLAGS = offset("flags");
    private static final long LEN = offset("len");
    private static final long IOV_LEN = IOVEC.byteOffset(PathElement.groupElement("len"));
    private static final long IOV_BASE = IOVEC.byteOffset(PathElement.groupElement("base"));
    /** Per slot, a multiple of 8 so that every address and control message stays aligned. */
    private static final int NAME_ROOM = 32;

    private final int slots;
    private final int capacity;
    private final boolean packetInfo;
    final MemorySegment receiveHeaders;
    final MemorySegment sendHeaders;
    private final MemorySegment sendIovecs;
    private final MemorySegment names;
    private final MemorySegment controls;
    private final MemorySegment payloads;
    /** errno captured by the calls on this batch, by its owner thread. */
    final MemorySegment callState;

    /** Datagrams the last receive filled. */
    private int received;
    /** Replies queued since the last receive, and for each its slot and the outcome of its send (0 = sent, else errno). */
    private int queued;
    private final int[] replySlot;
    private final int[] replyLength;
    final int[] replyErrno;

    /**
     * @param capacity payload bytes per slot: a datagram that fills it, or is longer, is reported
     *     as {@link #truncated}
     * @param packetInfo whether replies carry the request's local address (a wildcard bind)
     */
    public DatagramBatch(Arena arena, int slots, int capacity, boolean packetInfo) {
        if (slots < 1 || capacity < 1) {
            throw new IllegalArgumentException("a batch needs slots and room: " + slots + " x " + capacity);
        }
        this.slots = slots;
        this.capacity = capacity;
        this.packetInfo = packetInfo;
        receiveHeaders = arena.allocate(MMSGHDR, slots);
        sendHeaders = arena.allocate(MMSGHDR, slots);
        MemorySegment receiveIovecs = arena.allocate(IOVEC, slots);
        sendIovecs = arena.allocate(IOVEC, slots);
        names = arena.allocate((long) NAME_ROOM * slots, 8);
        controls = arena.allocate((long) PacketInfo.CAPACITY * slots, 8);
        payloads = arena.allocate((long) capacity * slots, 4096);
        callState = arena.allocate(Libc.CALL_STATE);
        replySlot = new int[slots];
        replyLength = new int[slots];
        replyErrno = new int[slots];
        for (int i = 0; i < slots; i++) {
            long header = i * HEADER_SIZE;
            receiveIovecs.set(ADDRESS, i * IOVEC.byteSize() + IOV_BASE, payloads.asSlice((long) i * capacity, capacity));
            receiveIovecs.set(JAVA_LONG, i * IOVEC.byteSize() + IOV_LEN, capacity);
            receiveHeaders.set(ADDRESS, header + NAME, names.asSlice((long) i * NAME_ROOM, NAME_ROOM));
            receiveHeaders.set(ADDRESS, header + IOV, receiveIovecs.asSlice(i * IOVEC.byteSize(), IOVEC.byteSize()));
            receiveHeaders.set(JAVA_LONG, header + IOVLEN, 1);
            receiveHeaders.set(ADDRESS, header + CONTROL, packetInfo
                    ? controls.asSlice((long) i * PacketInfo.CAPACITY, PacketInfo.CAPACITY) : MemorySegment.NULL);
            sendHeaders.set(ADDRESS, header + IOV, sendIovecs.asSlice(i * IOVEC.byteSize(), IOVEC.byteSize()));
            sendHeaders.set(JAVA_LONG, header + IOVLEN, 1);
        }
        resetReceiveHeaders(slots);
    }

    public int slots() {
        return slots;
    }

    public int capacity() {
        return capacity;
    }

    /** Before a receive: the in/out fields of the headers the last one filled take their sizes again. */
    void prepareReceive() {
        resetReceiveHeaders(received);
        received = 0;
        queued = 0;
    }

    private void resetReceiveHeaders(int count) {
        for (int i = 0; i < count; i++) {
            long header = i * HEADER_SIZE;
            receiveHeaders.set(JAVA_INT, header + NAMELEN, Sockaddr.CAPACITY);
            receiveHeaders.set(JAVA_LONG, header + CONTROLLEN, packetInfo ? PacketInfo.CAPACITY : 0);
            receiveHeaders.set(JAVA_INT, header + FLAGS, 0);
        }
    }

    void received(int count) {
        if (count < 0 || count > slots) {
            throw new IllegalStateException("recvmmsg reported " + count + " datagrams for " + slots + " slots");
        }
        received = count;
    }

    /** How many datagrams the last receive filled. */
    public int received() {
        return received;
    }

    /**
     * Whether slot {@code i} holds no datagram but the end of input: after {@code shutdown(SHUT_RD)},
     * a receive on an empty queue returns one "message" without a source address.
     */
    public boolean endOfInput(int i) {
        return namelength(i) == 0;
    }

    /** Payload bytes of datagram {@code i} that are in its slot: at most {@link #capacity()}. */
    public int length(int i) {
        long length = Integer.toUnsignedLong(receiveHeaders.get(JAVA_INT, i * HEADER_SIZE + LEN));
        return (int) Math.min(length, capacity);
    }

    /** Whether datagram {@code i} did not fit its slot: cut by the kernel, or exactly filling it (cannot be told apart). */
    @Override
    public boolean truncated(int i) {
        long length = Integer.toUnsignedLong(receiveHeaders.get(JAVA_INT, i * HEADER_SIZE + LEN));
        return (receiveHeaders.get(JAVA_INT, i * HEADER_SIZE + FLAGS) & Libc.MSG_TRUNC) != 0 || length >= capacity;
    }

    /** The source port of datagram {@code i}; no allocation. Both families keep it in bytes 2-3. */
    @Override
    public int sourcePort(int i) {
        int length = namelength(i);
        if (length < 4) {
            throw new IllegalStateException("recvmmsg reported a " + length + "-byte address: no port in it");
        }
        return Sockaddr.port(names, (long) i * NAME_ROOM);
    }

    /** The source of datagram {@code i}. */
    @Override
    public InetSocketAddress source(int i) {
        return Sockaddr.decode(names, (long) i * NAME_ROOM, namelength(i));
    }

    private int namelength(int i) {
        int length = receiveHeaders.get(JAVA_INT, i * HEADER_SIZE + NAMELEN);
        if (length < 0 || length > NAME_ROOM) {
            throw new IllegalStateException("recvmmsg reported a " + length + "-byte address for " + NAME_ROOM + " bytes of room");
        }
        return length;
    }

    /** Copies datagram {@code i}'s payload into {@code into} and returns its length. */
    @Override
    public int copyPayload(int i, byte[] into) {
        int length = length(i);
        MemorySegment.copy(payloads, JAVA_BYTE, (long) i * capacity, into, 0, length);
        return length;
    }

    /** Queues {@code length} bytes of {@code reply} as the answer to datagram {@code i}, to its source, from its local address. */
    public void queueReply(int i, byte[] reply, int length) {
        if (length > capacity) {
            throw new IllegalArgumentException(length + " bytes do not fit a " + capacity + "-byte slot");
        }
        MemorySegment.copy(reply, 0, payloads, JAVA_BYTE, (long) i * capacity, length);
        long from = i * HEADER_SIZE;
        long control = 0; // NULL
        int controlLength = 0;
        if (packetInfo && (receiveHeaders.get(JAVA_INT, from + FLAGS) & Libc.MSG_CTRUNC) == 0) {
            long received = receiveHeaders.get(JAVA_LONG, from + CONTROLLEN);
            long base = (long) i * PacketInfo.CAPACITY;
            int at = received < 0 || received > PacketInfo.CAPACITY ? -1 : PacketInfo.prepareReply(controls, base, (int) received);
            if (at >= 0) {
                controlLength = PacketInfo.length(controls, base + at);
                control = controls.address() + base + at;
            }
        }
        queue(i, names.address() + (long) i * NAME_ROOM, namelength(i), length, control, controlLength);
    }

    /**
     * Queues the first {@code length} bytes of slot {@code i}'s payload (written through
     * {@link #payload}) as a datagram without an address: for a connected socket, whose peer it goes to.
     */
    public void queueDatagram(int i, int length) {
        if (i < 0 || i >= slots || length > capacity) {
            throw new IllegalArgumentException(length + " bytes in slot " + i + " of " + slots + " x " + capacity);
        }
        queue(i, 0, 0, length, 0, 0);
    }

    private void queue(int i, long name, int nameLength, int length, long control, int controlLength) {
        long to = queued * HEADER_SIZE;
        // Pointers written as the raw addresses they are (64-bit on every architecture Availability
        // accepts), not as slices: a MemorySegment per reply would be the send path's only allocation.
        sendHeaders.set(JAVA_LONG, to + NAME, name);
        sendHeaders.set(JAVA_INT, to + NAMELEN, nameLength);
        sendIovecs.set(JAVA_LONG, queued * IOVEC.byteSize() + IOV_BASE, payloads.address() + (long) i * capacity);
        sendIovecs.set(JAVA_LONG, queued * IOVEC.byteSize() + IOV_LEN, length);
        sendHeaders.set(JAVA_LONG, to + CONTROL, control);
        sendHeaders.set(JAVA_LONG, to + CONTROLLEN, controlLength);
        sendHeaders.set(JAVA_INT, to + FLAGS, 0);
        replySlot[queued] = i;
        replyLength[queued] = length;
        replyErrno[queued] = 0;
        queued++;
    }

    /**
     * Slot {@code i}'s payload room as a buffer, position 0, limit {@link #capacity()}: a view of
     * the arena's memory, valid while it is open (so made once per slot by its owner, not per datagram).
     */
    public ByteBuffer payload(int i) {
        return payloads.asSlice((long) i * capacity, capacity).asByteBuffer();
    }

    /** Forgets the queued datagrams after a {@link NativeDatagramSocket#send} that was not followed by a receive. */
    public void clearQueue() {
        queued = 0;
    }

    /** Replies queued since the last receive. */
    public int queued() {
        return queued;
    }

    /** After a send: the request slot reply {@code k} answers. */
    public int replySlot(int k) {
        return replySlot[k];
    }

    public int replyLength(int k) {
        return replyLength[k];
    }

    /** After a send: 0 when reply {@code k} went out, else the errno that refused it. */
    public int replyErrno(int k) {
        return replyErrno[k];
    }

    static long headerSize() {
        return HEADER_SIZE;
    }

    private static long offset(String field) {
        return MMSGHDR.byteOffset(PathElement.groupElement(field));
    }
}
