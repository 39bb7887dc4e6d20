package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The control messages that carry a datagram's local address: {@code IP_PKTINFO}
 * ({@code struct in_pktinfo}: ifindex, spec_dst, addr) on an IPv4 socket and
 * {@code IPV6_PKTINFO} ({@code struct in6_pktinfo}: addr, ifindex) on an IPv6 one, where Linux
 * also reports an IPv4 datagram's destination as ::ffff:a.b.c.d.
 *
 * <p>A received one is sent back as it came, as the reply's control message: on send, IPv4's
 * {@code ipi_spec_dst} and IPv6's {@code ipi6_addr} are the source address the kernel uses, and
 * the kernel filled both with the address the datagram arrived on. The interface index is cleared
 * (the route chooses the interface, as for any reply) except for an IPv6 link-local address,
 * which means nothing without it.
 *
 * <p>{@code struct cmsghdr} on LP64: {@code size_t cmsg_len; int cmsg_level; int cmsg_type;},
 * then the data, every message aligned to 8 bytes.
 */
final class PacketInfo {
    static final int HEADER = 16;
    private static final int IN_PKTINFO = 12;
    private static final int IN6_PKTINFO = 20;
    /** Room for one IPv6 message, the larger: CMSG_SPACE(20) = 40, rounded up for a second, unexpected one. */
    static final int CAPACITY = 64;

    private PacketInfo() {}

    /**
     * Finds the packet-info message in the {@code length} bytes of control data at {@code offset}
     * (what the kernel wrote), makes it ready to send back, and returns its offset from
     * {@code offset}; -1 when there is none or the data is malformed (then the reply goes
     * without, from the address the route chooses). Never reads past {@code length}.
     */
    static int prepareReply(MemorySegment control, long offset, int length) {
        int at = 0;
        while (at + HEADER <= length) {
            long cmsgLength = control.get(JAVA_LONG, offset + at);
            if (cmsgLength < HEADER || cmsgLength > length - at) {
                return -1;
            }
            int level = control.get(JAVA_INT, offset + at + 8);
            int type = control.get(JAVA_INT, offset + at + 12);
            long data = offset + at + HEADER;
            if (level == Libc.SOL_IP && type == Libc.IP_PKTINFO && cmsgLength >= HEADER + IN_PKTINFO) {
                control.set(JAVA_INT, data, 0); // ipi_ifindex
                return at;
            }
            if (level == Libc.SOL_IPV6 && type == Libc.IPV6_PKTINFO && cmsgLength >= HEADER + IN6_PKTINFO) {
                boolean linkLocal = control.get(JAVA_BYTE, data) == (byte) 0xfe && (control.get(JAVA_BYTE, data + 1) & 0xc0) == 0x80;
                if (!linkLocal) {
                    control.set(JAVA_INT, data + 16, 0); // ipi6_ifindex
                }
                return at;
            }
            at += (int) align(cmsgLength);
        }
        return -1;
    }

    /** The cmsg_len of the message at {@code at}: a send's msg_controllen, so that it covers that message alone. */
    static int length(MemorySegment control, long at) {
        return (int) control.get(JAVA_LONG, at);
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }
}
