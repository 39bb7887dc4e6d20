package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: its submission and completion rings and its submission entries, mapped
 * into memory that the owner's confined arena unmaps when it closes. The owner is one thread (a
 * TCP event loop): it creates the ring ({@link #open}, which binds the ring to it under
 * IORING_SETUP_SINGLE_ISSUER), prepares entries, calls {@link #submitAndWait} once per turn,
 * reads the completions and {@link #close}s it. No other thread touches it.
 *
 * <p>The rings are shared with the kernel: the kernel writes the submission head and the
 * completion tail, this thread the submission tail and the completion head, each published with a
 * release store and read with an acquire load, as the kernel's own io_uring.h documents. Every
 * count the kernel reports (completions pending, a submission count, a buffer id) is checked
 * against what the rings can hold before it is used: a bad one is an {@link IllegalStateException},
 * never a read outside the mapping.
 *
 * <p>What the entries prepare is generic (a descriptor, an address, a length, a 64-bit
 * user_data chosen by the caller): TCP's multishot accept and receive, send, cancel, poll; and
 * recvmsg/sendmsg for datagrams.
 */
public final class IoUring implements AutoCloseable {
    public static final int CQE_F_BUFFER = 1;
    /** More completions will come for this (multishot) request; without it, this was its last. */
    public static final int CQE_F_MORE = 2;
    public static final int POLLIN = 0x1;
    /** Results: minus these errno values. */
    public static final int ECANCELED = Libc.ECANCELED;
    public static final int ENOBUFS = Libc.ENOBUFS;
    public static final int EMFILE = Libc.EMFILE;

    private static final byte OP_NOP = 0;
    private static final byte OP_POLL_ADD = 6;
    private static final byte OP_SENDMSG = 9;
    private static final byte OP_RECVMSG = 10;
    private static final byte OP_ACCEPT = 13;
    private static final byte OP_ASYNC_CANCEL = 14;
    private static final byte OP_SEND = 26;
    private static final byte OP_RECV = 27;

    private static final int SETUP_CQSIZE = 1 << 3;
    private static final int SETUP_SUBMIT_ALL = 1 << 7;
    private static final int SETUP_COOP_TASKRUN = 1 << 8;
    private static final int SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int SETUP_DEFER_TASKRUN = 1 << 13;
    /**
     * Tried in order, the next one after EINVAL (a kernel that predates a flag): completions
     * processed only when the loop asks for them, by the one thread that submits (6.1), which
     * spares the kernel its interrupts of the loop; then the 5.x flags.
     */
    private static final int[] SETUPS = {
        SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN | SETUP_SUBMIT_ALL | SETUP_CQSIZE,
        SETUP_COOP_TASKRUN | SETUP_SUBMIT_ALL | SETUP_CQSIZE,
        SETUP_CQSIZE,
    };
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final int FEAT_NODROP = 1 << 1;
    private static final int FEAT_EXT_ARG = 1 << 8;

    private static final int ENTER_GETEVENTS = 1;
    private static final int ENTER_EXT_ARG = 1 << 3;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    static final int REGISTER_PBUF_RING = 22;

    private static final byte SQE_BUFFER_SELECT = 32;
    private static final short ACCEPT_MULTISHOT = 1;
    private static final short RECV_MULTISHOT = 2;
    private static final int CANCEL_ALL = 1;
    private static final int CANCEL_FD = 2;
    private static final int POLL_ADD_MULTI = 1;

    private static final long SQE_SIZE = 64;
    private static final long CQE_SIZE = 16;
    /** sizeof(struct io_uring_params) */
    private static final long PARAMS_SIZE = 120;
    private static final long SQ_OFF = 40;
    private static final long CQ_OFF = 80;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private final int fd;
    private final int flags;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHeadAt;
    private final long sqTailAt;
    private final int sqMask;
    private final int sqEntries;
    private final long cqHeadAt;
    private final long cqTailAt;
    private final long cqesAt;
    private final int cqMask;
    private final int cqEntries;
    /** struct io_uring_getevents_arg, then struct __kernel_timespec at 24. */
    private final MemorySegment waitArg;
    private final MemorySegment callState;
    private int sqTail;
    private int cqHead;
    /** Entries prepared and not yet submitted. */
    private int prepared;
    private boolean closed;

    private IoUring(int fd, int flags, MemorySegment sqRing, MemorySegment cqRing, MemorySegment sqes, MemorySegment params,
            Arena arena) {
        this.fd = fd;
        this.flags = flags;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sqHeadAt = params.get(JAVA_INT, SQ_OFF);
        this.sqTailAt = params.get(JAVA_INT, SQ_OFF + 4);
        this.sqMask = params.get(JAVA_INT, 0) - 1;
        this.sqEntries = params.get(JAVA_INT, 0);
        this.cqHeadAt = params.get(JAVA_INT, CQ_OFF);
        this.cqTailAt = params.get(JAVA_INT, CQ_OFF + 4);
        this.cqMask = params.get(JAVA_INT, 4) - 1;
        this.cqEntries = params.get(JAVA_INT, 4);
        this.cqesAt = params.get(JAVA_INT, CQ_OFF + 20);
        this.waitArg = arena.allocate(40, 8);
        this.callState = arena.allocate(Libc.CALL_STATE);
        this.sqTail = (int) INT.getAcquire(sqRing, sqTailAt);
        this.cqHead = (int) INT.getAcquire(cqRing, cqHeadAt);
    }

    /**
     * A ring of {@code entries} submission entries (a power of two) and {@code completions}
     * completion entries, on the calling thread, which becomes its only submitter; the mappings
     * belong to {@code arena} (confined to this thread), which unmaps them when it closes.
     *
     * @throws SystemCallException io_uring_setup failed: ENOSYS (no io_uring), EPERM (seccomp,
     *     kernel.io_uring_disabled), ENOMEM (locked-memory limit); or a mapping failed
     */
    public static IoUring open(Arena arena, int entries, int completions) throws IOException {
        MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
        MemorySegment state = arena.allocate(Libc.CALL_STATE);
        int fd = -1;
        int errno = Libc.EINVAL;
        int used = 0;
        for (int setup : SETUPS) {
            params.fill((byte) 0);
            params.set(JAVA_INT, 4, completions);
            params.set(JAVA_INT, 8, setup);
            long result;
            try {
                result = (long) Libc.SYSCALL2.invokeExact(state, Libc.SYS_IO_URING_SETUP, (long) entries, params);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            if (result >= 0) {
                fd = (int) result;
                used = setup;
                break;
            }
            errno = Libc.errno(state);
            if (errno != Libc.EINVAL) {
                break;
            }
        }
        if (fd < 0) {
            throw new SystemCallException("io_uring_setup", errno);
        }
        try {
            int features = params.get(JAVA_INT, 20);
            if ((features & FEAT_EXT_ARG) == 0 || (features & FEAT_NODROP) == 0) {
                throw new IOException("this kernel's io_uring lacks timed waits or lossless completions (Linux 5.11)");
            }
            int sqCount = params.get(JAVA_INT, 0);
            int cqCount = params.get(JAVA_INT, 4);
            if (Integer.bitCount(sqCount) != 1 || Integer.bitCount(cqCount) != 1) {
                throw new IllegalStateException("io_uring_setup reported rings of " + sqCount + " and " + cqCount + " entries");
            }
            long sqSize = params.get(JAVA_INT, SQ_OFF + 24) + sqCount * 4L;
            long cqSize = params.get(JAVA_INT, CQ_OFF + 20) + cqCount * CQE_SIZE;
            MemorySegment sqRing;
            MemorySegment cqRing;
            if ((features & FEAT_SINGLE_MMAP) != 0) {
                sqRing = map(arena, state, fd, Math.max(sqSize, cqSize), OFF_SQ_RING);
                cqRing = sqRing;
            } else {
                sqRing = map(arena, state, fd, sqSize, OFF_SQ_RING);
                cqRing = map(arena, state, fd, cqSize, OFF_CQ_RING);
            }
            MemorySegment sqes = map(arena, state, fd, sqCount * SQE_SIZE, OFF_SQES);
            if (sqRing.get(JAVA_INT, params.get(JAVA_INT, SQ_OFF + 8)) != sqCount - 1
                    || cqRing.get(JAVA_INT, params.get(JAVA_INT, CQ_OFF + 8)) != cqCount - 1) {
                throw new IllegalStateException("io_uring's ring masks do not match its " + sqCount + " and " + cqCount + " entries");
            }
            // The array indirection, made the identity once: entry i of the ring is SQE i.
            long array = params.get(JAVA_INT, SQ_OFF + 24);
            for (int i = 0; i < sqCount; i++) {
                sqRing.set(JAVA_INT, array + i * 4L, i);
            }
            return new IoUring(fd, used, sqRing, cqRing, sqes, params, arena);
        } catch (IOException | RuntimeException | Error e) {
            SocketOptions.close(fd);
            throw e;
        }
    }

    private static MemorySegment map(Arena arena, MemorySegment state, int fd, long size, long offset) throws IOException {
        MemorySegment raw;
        try {
            raw = (MemorySegment) Libc.MMAP.invokeExact(state, MemorySegment.NULL, size, Libc.PROT_READ_WRITE,
                    Libc.MAP_SHARED_POPULATE, fd, offset);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (raw.address() == -1L) {
            throw new SystemCallException("mmap", Libc.errno(state));
        }
        return raw.reinterpret(size, arena, IoUring::unmap);
    }

    /** The arena's cleanup, on the thread that closes it. */
    private static void unmap(MemorySegment mapping) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Libc.MUNMAP.invokeExact(arena.allocate(Libc.CALL_STATE), mapping, mapping.byteSize());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** For {@link Availability#ioUring}: a tiny ring with a buffer ring, set up and closed. */
    static Availability probe() {
        String version = System.getProperty("os.version", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(version);
        if (m.find() && Integer.parseInt(m.group(1)) < 6) {
            return new Availability(false, "io_uring's multishot receive needs Linux 6.0, not " + version);
        }
        try (Arena arena = Arena.ofConfined()) {
            try (IoUring ring = open(arena, 4, 8)) {
                new ProvidedBuffers(ring, arena, 0, 2, 64);
            }
            return new Availability(true, "");
        } catch (SystemCallException e) {
            return new Availability(false, switch (e.errno()) {
                case Libc.ENOSYS -> "this kernel has no io_uring (" + e.call() + ": ENOSYS)";
                case Libc.EPERM, 13 -> "io_uring is not permitted here (" + e.call() + ": " + e.getMessage()
                        + "; a seccomp profile or kernel.io_uring_disabled)";
                default -> "io_uring cannot be set up here (" + e.call() + ": " + e.getMessage() + ")";
            });
        } catch (IOException | RuntimeException e) {
            return new Availability(false, "io_uring cannot be set up here: " + e.getMessage());
        }
    }

    /** The ring's descriptor, for io_uring_register. */
    int fd() {
        return fd;
    }

    /** Whether the ring got IORING_SETUP_DEFER_TASKRUN (Linux 6.1): for tests and the probe's line. */
    public boolean deferredTaskRun() {
        return (flags & SETUP_DEFER_TASKRUN) != 0;
    }

    /** Entries prepared and not yet submitted. */
    public int prepared() {
        return prepared;
    }

    /** A no-op: its completion carries {@code userData} and result 0. */
    public void nop(long userData) throws IOException {
        entry(OP_NOP, -1, userData);
    }

    /**
     * Accepts every connection that arrives on listening socket {@code fd}, one completion each
     * (result: the new descriptor, non-blocking and close-on-exec), until it fails or is cancelled
     * (a completion without {@link #CQE_F_MORE}).
     */
    public void acceptMultishot(int fd, long userData) throws IOException {
        long at = entry(OP_ACCEPT, fd, userData);
        sqes.set(JAVA_SHORT, at + 2, ACCEPT_MULTISHOT);
        sqes.set(JAVA_INT, at + 28, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
    }

    /**
     * Receives on {@code fd} again and again, each completion into a buffer the kernel picks
     * from {@code bufferGroup} (its id in the completion's flags, result the length), until the
     * end of the stream (result 0), an error, no buffer left (-ENOBUFS) or a cancel.
     */
    public void recvMultishot(int fd, int bufferGroup, long userData) throws IOException {
        long at = entry(OP_RECV, fd, userData);
        sqes.set(JAVA_BYTE, at + 1, SQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, at + 2, RECV_MULTISHOT);
        sqes.set(JAVA_SHORT, at + 40, (short) bufferGroup);
    }

    /**
     * Sends {@code length} bytes at {@code offset} in {@code buffer}, never raising SIGPIPE; the
     * result is the bytes sent. The bytes must stay put until the completion.
     */
    public void send(int fd, MemorySegment buffer, long offset, int length, long userData) throws IOException {
        if (offset < 0 || length < 0 || offset + length > buffer.byteSize()) {
            throw new IndexOutOfBoundsException("a send of " + length + " bytes at " + offset + " of " + buffer.byteSize());
        }
        long at = entry(OP_SEND, fd, userData);
        sqes.set(JAVA_LONG, at + 16, buffer.address() + offset);
        sqes.set(JAVA_INT, at + 24, length);
        sqes.set(JAVA_INT, at + 28, Libc.MSG_NOSIGNAL);
    }

    /** recvmsg(fd, msghdr, flags): the header and what it points to must outlive the request. */
    public void recvmsg(int fd, MemorySegment msghdr, int msgFlags, long userData) throws IOException {
        message(OP_RECVMSG, fd, msghdr, msgFlags, userData);
    }

    /** sendmsg(fd, msghdr, flags), likewise. */
    public void sendmsg(int fd, MemorySegment msghdr, int msgFlags, long userData) throws IOException {
        message(OP_SENDMSG, fd, msghdr, msgFlags | Libc.MSG_NOSIGNAL, userData);
    }

    /**
     * recvmsg(fd) again and again, each datagram into a buffer the kernel picks from
     * {@code bufferGroup}, laid out as struct io_uring_recvmsg_out, then msghdr's msg_namelen
     * bytes for the source address, msg_controllen for control messages, then the payload; the
     * completion's result is the bytes written. Only the header's msg_namelen and msg_controllen
     * are read, once, at submission. Ends like {@link #recvMultishot}, and also after a datagram
     * of no payload (the kernel's recvmsg returned 0).
     */
    public void recvmsgMultishot(int fd, MemorySegment msghdr, int bufferGroup, long userData) throws IOException {
        long at = entry(OP_RECVMSG, fd, userData);
        sqes.set(JAVA_BYTE, at + 1, SQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, at + 2, RECV_MULTISHOT);
        sqes.set(JAVA_LONG, at + 16, msghdr.address());
        sqes.set(JAVA_INT, at + 24, 1);
        sqes.set(JAVA_SHORT, at + 40, (short) bufferGroup);
    }

    /** {@link #sendmsg} of a header at a raw address in memory the caller keeps alive: no segment per send. */
    void sendmsg(int fd, long msghdr, int msgFlags, long userData) throws IOException {
        message(OP_SENDMSG, fd, msghdr, msgFlags | Libc.MSG_NOSIGNAL, userData);
    }

    private void message(byte op, int fd, MemorySegment msghdr, int msgFlags, long userData) throws IOException {
        message(op, fd, msghdr.address(), msgFlags, userData);
    }

    private void message(byte op, int fd, long msghdr, int msgFlags, long userData) throws IOException {
        long at = entry(op, fd, userData);
        sqes.set(JAVA_LONG, at + 16, msghdr);
        sqes.set(JAVA_INT, at + 24, 1);
        sqes.set(JAVA_INT, at + 28, msgFlags);
    }

    /** Cancels the request whose user_data is {@code target}: its completion says -ECANCELED (or it ends as it was). */
    public void cancel(long target, long userData) throws IOException {
        long at = entry(OP_ASYNC_CANCEL, -1, userData);
        sqes.set(JAVA_LONG, at + 16, target);
    }

    /** Cancels every request on descriptor {@code fd} (Linux 5.19). */
    public void cancelAll(int fd, long userData) throws IOException {
        long at = entry(OP_ASYNC_CANCEL, fd, userData);
        sqes.set(JAVA_INT, at + 28, CANCEL_FD | CANCEL_ALL);
    }

    /** Reports readiness {@code events} on {@code fd}: once, or on every wake-up while {@code multishot}. */
    public void pollAdd(int fd, int events, boolean multishot, long userData) throws IOException {
        long at = entry(OP_POLL_ADD, fd, userData);
        sqes.set(JAVA_INT, at + 24, multishot ? POLL_ADD_MULTI : 0);
        sqes.set(JAVA_INT, at + 28, events);
    }

    /** The next free entry, zeroed, with its opcode, descriptor and user_data; a full ring is submitted first. */
    private long entry(byte op, int fd, long userData) throws IOException {
        if (closed) {
            throw new IllegalStateException("the ring is closed");
        }
        if (sqTail - (int) INT.getAcquire(sqRing, sqHeadAt) >= sqEntries) {
            flush();
        }
        long at = (sqTail & sqMask) * SQE_SIZE;
        for (long i = 0; i < SQE_SIZE; i += 8) {
            sqes.set(JAVA_LONG, at + i, 0L);
        }
        sqes.set(JAVA_BYTE, at, op);
        sqes.set(JAVA_INT, at + 4, fd);
        sqes.set(JAVA_LONG, at + 32, userData);
        sqTail++;
        prepared++;
        return at;
    }

    /** The ring is full: submits what is prepared, waiting for nothing. */
    private void flush() throws IOException {
        enter(0, 0, false);
        if (sqTail - (int) INT.getAcquire(sqRing, sqHeadAt) >= sqEntries) {
            throw new IOException("io_uring took none of " + sqEntries + " submissions");
        }
    }

    /**
     * The loop's one system call per turn: submits everything prepared and, unless completions
     * are already waiting, waits up to {@code timeoutNanos} for at least one (0: none). A signal
     * or the timeout is a normal return; the completions are then read with {@link #completions}.
     */
    public void submitAndWait(long timeoutNanos) throws IOException {
        boolean wait = timeoutNanos > 0 && completions() == 0;
        if (prepared == 0 && !wait && completions() > 0) {
            return; // nothing to submit, something to read: no call at all
        }
        enter(wait ? 1 : 0, timeoutNanos, true);
    }

    /**
     * {@link #submitAndWait(long)} that waits for {@code minComplete} completions in all (those
     * already waiting count) or the timeout, whichever comes first: the kernel-side wait for a
     * fuller batch. {@code minComplete} 0 submits without waiting.
     */
    public void submitAndWait(int minComplete, long timeoutNanos) throws IOException {
        int waiting = completions();
        if (minComplete <= waiting || timeoutNanos <= 0) {
            if (prepared > 0 || waiting == 0) {
                enter(0, 0, true); // submits, and runs the work that posts what is done, without a wait
            }
            return;
        }
        enter(minComplete, timeoutNanos, true); // the kernel counts those waiting too
    }

    private void enter(int minComplete, long timeoutNanos, boolean getEvents) throws IOException {
        INT.setRelease(sqRing, sqTailAt, sqTail);
        int submit = prepared;
        long result;
        try {
            if (getEvents) {
                waitArg.set(JAVA_LONG, 0, 0L); // no signal mask
                waitArg.set(JAVA_INT, 8, 0);
                waitArg.set(JAVA_INT, 12, 0);
                waitArg.set(JAVA_LONG, 16, waitArg.address() + 24);
                waitArg.set(JAVA_LONG, 24, timeoutNanos / 1_000_000_000L);
                waitArg.set(JAVA_LONG, 32, timeoutNanos % 1_000_000_000L);
                result = (long) Libc.SYSCALL6.invokeExact(callState, Libc.SYS_IO_URING_ENTER, (long) fd, (long) submit,
                        (long) minComplete, (long) (ENTER_GETEVENTS | ENTER_EXT_ARG), waitArg, 24L);
            } else {
                result = (long) Libc.SYSCALL6.invokeExact(callState, Libc.SYS_IO_URING_ENTER, (long) fd, (long) submit,
                        0L, 0L, MemorySegment.NULL, 0L);
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (result < 0) {
            int errno = Libc.errno(callState);
            if (errno == Libc.EINTR || errno == Libc.ETIME || errno == Libc.EAGAIN || errno == Libc.EBUSY) {
                // Interrupted, timed out, or completions to read first (the kernel's overflow
                // list is full): what was not submitted stays in the ring for the next call.
                prepared = sqTail - (int) INT.getAcquire(sqRing, sqHeadAt);
                return;
            }
            throw new SystemCallException("io_uring_enter", errno);
        }
        if (result > submit) {
            throw new IllegalStateException("io_uring_enter submitted " + result + " of " + submit);
        }
        prepared = sqTail - (int) INT.getAcquire(sqRing, sqHeadAt);
        if (prepared < 0 || prepared > sqEntries) {
            throw new IllegalStateException("io_uring's submission head is " + -prepared + " past the tail");
        }
    }

    /** Completions waiting to be read: entries 0 to n - 1 for {@link #userData}, {@link #result}, {@link #flags}. */
    public int completions() {
        int n = (int) INT.getAcquire(cqRing, cqTailAt) - cqHead;
        if (n < 0 || n > cqEntries) {
            throw new IllegalStateException("io_uring reported " + n + " completions for " + cqEntries + " entries");
        }
        return n;
    }

    public long userData(int i) {
        return cqRing.get(JAVA_LONG, cqe(i));
    }

    /** The request's result: a count or a descriptor, or minus errno. */
    public int result(int i) {
        return cqRing.get(JAVA_INT, cqe(i) + 8);
    }

    /** {@link #CQE_F_MORE}, {@link #CQE_F_BUFFER} and the buffer id in the upper 16 bits. */
    public int flags(int i) {
        return cqRing.get(JAVA_INT, cqe(i) + 12);
    }

    private long cqesAt(int index) {
        return cqesAt + (index & cqMask) * CQE_SIZE;
    }

    private long cqe(int i) {
        return cqesAt(cqHead + i);
    }

    /** Gives the first {@code n} completions back to the kernel. */
    public void consumed(int n) {
        cqHead += n;
        INT.setRelease(cqRing, cqHeadAt, cqHead);
    }

    /** io_uring_register(fd, opcode, arg, count), checked. */
    void register(int opcode, MemorySegment arg, int count) throws IOException {
        long result;
        try {
            result = (long) Libc.SYSCALL4.invokeExact(callState, Libc.SYS_IO_URING_REGISTER, (long) fd, (long) opcode,
                    arg, (long) count);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (result < 0) {
            throw new SystemCallException("io_uring_register", Libc.errno(callState));
        }
    }

    /**
     * Closes the ring's descriptor, once: the kernel cancels what is still in flight and frees the
     * ring once its last request is done. The mappings go with the owner's arena, after this.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SocketOptions.close(fd);
    }
}
