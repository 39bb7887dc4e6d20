package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * What a multishot recvmsg wrote at the start of a provided buffer: {@code struct
 * io_uring_recvmsg_out { __u32 namelen; __u32 controllen; __u32 payloadlen; __u32 flags; }},
 * then {@code nameRoom} bytes reserved for the source address, {@code controlRoom} for control
 * messages, then the payload. The completion's result is the bytes written: the header, both
 * reserved areas whole, and the payload that fit.
 *
 * <p>Pure: it reads a buffer and checks every length the kernel reports against the room the
 * buffer has and against each other, so that a header that lies is refused
 * ({@link IllegalStateException}) and never read past. The kernel reports the real sizes:
 * {@code namelen} the source address's length (0 for no datagram: the end of input after
 * {@code shutdown(SHUT_RD)}), {@code controllen} the control bytes written, {@code payloadlen}
 * the datagram's whole length, larger than what fit when {@code flags} has MSG_TRUNC.
 */
final class RecvmsgOut {
    static final int HEADER = 16;

    private RecvmsgOut() {}

    /**
     * The payload bytes in the buffer at {@code at} of {@code size} bytes, after a completion of
     * {@code result} bytes: checked, or an {@link IllegalStateException} saying which length lied.
     */
    static int payloadInBuffer(MemorySegment buffer, long at, int size, int result, int nameRoom, int controlRoom) {
        int fixed = HEADER + nameRoom + controlRoom;
        if (result < fixed || result > size) {
            throw new IllegalStateException("recvmsg reported " + result + " bytes for a " + size
                    + "-byte buffer whose header and reserved room take " + fixed);
        }
        int copied = result - fixed;
        int nameLength = buffer.get(JAVA_INT, at);
        int controlLength = buffer.get(JAVA_INT, at + 4);
        int payloadLength = buffer.get(JAVA_INT, at + 8);
        int flags = buffer.get(JAVA_INT, at + 12);
        if (nameLength < 0 || nameLength > nameRoom) {
            throw new IllegalStateException("recvmsg reported a " + Integer.toUnsignedString(nameLength)
                    + "-byte address for " + nameRoom + " bytes of room");
        }
        if (controlLength < 0 || controlLength > controlRoom) {
            throw new IllegalStateException("recvmsg reported " + Integer.toUnsignedString(controlLength)
                    + " control bytes for " + controlRoom + " bytes of room");
        }
        boolean truncated = (flags & Libc.MSG_TRUNC) != 0;
        // payloadlen is the datagram's length: what fit, or more when it was cut.
        if (truncated ? Integer.compareUnsigned(payloadLength, copied) < 0 : payloadLength != copied) {
            throw new IllegalStateException("recvmsg reported a " + Integer.toUnsignedString(payloadLength)
                    + "-byte datagram with " + copied + " bytes in the buffer" + (truncated ? " (cut)" : ""));
        }
        return copied;
    }

    static int nameLength(MemorySegment buffer, long at) {
        return buffer.get(JAVA_INT, at);
    }

    static int controlLength(MemorySegment buffer, long at) {
        return buffer.get(JAVA_INT, at + 4);
    }

    static int flags(MemorySegment buffer, long at) {
        return buffer.get(JAVA_INT, at + 12);
    }
}
