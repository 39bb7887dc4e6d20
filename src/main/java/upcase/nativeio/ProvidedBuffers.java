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
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19): {@code count} buffers of
 * {@code size} bytes in one native segment, which the kernel picks from for multishot receives
 * of buffer group {@code group}. A completion names its buffer by id; the owner copies the bytes
 * out ({@link #copy}) and gives the buffer back ({@link #recycle}) at once or later. Owned by the
 * ring's thread; the memory is the owner's arena's.
 *
 * <p>Every id and length from the kernel is checked: an id out of range, a buffer the kernel
 * has not lent, or a length past the buffer is an {@link IllegalStateException}, never a copy
 * from outside the segment. Each buffer is either in the ring or lent, never both.
 */
public final class ProvidedBuffers {
    private static final long ENTRY = 16;
    /** The ring's tail is the reserved field of its first entry (struct io_uring_buf_ring). */
    private static final long TAIL = 14;
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final int group;
    private final int count;
    private final int size;
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private final boolean[] lent;
    private int tail;
    private int lentCount;

    /** Registers the ring with {@code uring}; {@code count} is a power of two up to 32,768. */
    public ProvidedBuffers(IoUring uring, Arena arena, int group, int count, int size) throws IOException {
        if (Integer.bitCount(count) != 1 || count > 32_768 || size <= 0) {
            throw new IllegalArgumentException("a buffer ring needs a power-of-two count up to 32768, not " + count);
        }
        this.group = group;
        this.count = count;
        this.size = size;
        this.ring = arena.allocate(count * ENTRY, 4096);
        this.buffers = arena.allocate((long) count * size, 64);
        this.lent = new boolean[count];
        MemorySegment registration = arena.allocate(40, 8); // struct io_uring_buf_reg
        registration.set(JAVA_LONG, 0, ring.address());
        registration.set(JAVA_INT, 8, count);
        registration.set(JAVA_SHORT, 12, (short) group);
        uring.register(IoUring.REGISTER_PBUF_RING, registration, 1);
        for (int id = 0; id < count; id++) {
            put(id);
        }
        SHORT.setRelease(ring, TAIL, (short) tail);
    }

    public int group() {
        return group;
    }

    public int size() {
        return size;
    }

    /** Buffers the kernel has filled and the owner has not given back yet. */
    public int lent() {
        return lentCount;
    }

    /**
     * Takes the buffer a completion named, with {@code flags} as it came ({@link IoUring#CQE_F_BUFFER}
     * set, the id above bit 16) and {@code length} bytes in it; returns the id.
     */
    public int take(int flags, int length) {
        if ((flags & IoUring.CQE_F_BUFFER) == 0) {
            throw new IllegalStateException("a receive completion of " + length + " bytes names no buffer");
        }
        int id = flags >>> 16;
        if (id >= count || lent[id]) {
            throw new IllegalStateException("io_uring named buffer " + id + " of " + count + (id < count ? ", already lent" : ""));
        }
        if (length < 0 || length > size) {
            throw new IllegalStateException("io_uring reported " + length + " bytes in a " + size + "-byte buffer");
        }
        lent[id] = true;
        lentCount++;
        return id;
    }

    /** Copies {@code length} bytes from {@code offset} in lent buffer {@code id} to {@code dst[at...]}. */
    public void copy(int id, int offset, byte[] dst, int at, int length) {
        if (!lent[id] || offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalStateException("copy of " + length + " bytes at " + offset + " from buffer " + id);
        }
        MemorySegment.copy(buffers, JAVA_BYTE, (long) id * size + offset, dst, at, length);
    }

    /** Gives lent buffer {@code id} back to the kernel. */
    public void recycle(int id) {
        if (!lent[id]) {
            throw new IllegalStateException("buffer " + id + " given back twice");
        }
        lent[id] = false;
        lentCount--;
        put(id);
        SHORT.setRelease(ring, TAIL, (short) tail);
    }

    public int count() {
        return count;
    }

    /** All the buffers, one after another, {@link #size()} bytes each: for the owner's views into a lent one. */
    MemorySegment memory() {
        return buffers;
    }

    /** Whether buffer {@code id} is lent to the owner now. */
    boolean isLent(int id) {
        return id >= 0 && id < count && lent[id];
    }

    private void put(int id) {
        long at = (tail & (count - 1)) * ENTRY;
        ring.set(JAVA_LONG, at, buffers.address() + (long) id * size);
        ring.set(JAVA_INT, at + 8, size);
        ring.set(JAVA_SHORT, at + 12, (short) id);
        tail++;
    }
}
