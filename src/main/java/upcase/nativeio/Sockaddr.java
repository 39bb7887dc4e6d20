package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} (16 bytes) and {@code struct sockaddr_in6} (28 bytes) to and from
 * {@link InetSocketAddress}. The family is in host order, the port in network order.
 */
final class Sockaddr {
    static final int IN_LENGTH = 16;
    static final int IN6_LENGTH = 28;
    /** Room for either; what a receive is given. */
    static final int CAPACITY = IN6_LENGTH;

    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    /** An IPv4 address, or a 32-bit word of an IPv6 one, in network order (unaligned: the offsets are the kernel's). */
    private static final ValueLayout.OfInt IPV4 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Sockaddr() {}

    /** Writes {@code address} at {@code at}, which has room for {@link #CAPACITY}; returns its length. */
    static int encode(InetSocketAddress address, MemorySegment at) {
        InetAddress ip = address.getAddress();
        at.asSlice(0, CAPACITY).fill((byte) 0);
        at.set(PORT, 2, (short) address.getPort());
        if (ip instanceof Inet4Address) {
            at.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
            MemorySegment.copy(ip.getAddress(), 0, at, JAVA_BYTE, 4, 4);
            return IN_LENGTH;
        }
        at.set(JAVA_SHORT, 0, (short) Libc.AF_INET6);
        MemorySegment.copy(ip.getAddress(), 0, at, JAVA_BYTE, 8, 16);
        at.set(JAVA_INT, 24, ((Inet6Address) ip).getScopeId());
        return IN6_LENGTH;
    }

    /** The port of the address at {@code offset}, of either family (both keep it at byte 2). */
    static int port(MemorySegment in, long offset) {
        return Short.toUnsignedInt(in.get(PORT, offset + 2));
    }

    /**
     * The address of {@code length} bytes at {@code offset} packed into one long when it is IPv4,
     * or IPv4 mapped into IPv6 (::ffff:a.b.c.d, as a dual-stack listener sees IPv4 clients):
     * the address's 32 bits, then the port's 16 ({@link #unpackIpv4}). -1 for any other address.
     * A server keeps its connections' peers so, not as {@link InetSocketAddress} objects.
     */
    static long packIpv4(MemorySegment in, long offset, int length) {
        int family = in.get(JAVA_SHORT, offset);
        long ip;
        if (family == Libc.AF_INET && length >= IN_LENGTH) {
            ip = Integer.toUnsignedLong(in.get(IPV4, offset + 4));
        } else if (family == Libc.AF_INET6 && length >= IN6_LENGTH && in.get(JAVA_LONG_UNALIGNED, offset + 8) == 0
                && in.get(IPV4, offset + 16) == 0xffff && in.get(JAVA_INT, offset + 24) == 0) {
            ip = Integer.toUnsignedLong(in.get(IPV4, offset + 20));
        } else {
            return -1;
        }
        return ip << 16 | port(in, offset);
    }

    /** What {@link #packIpv4} packed, as an address: the same {@link Inet4Address} {@link #decode} gives. */
    static InetSocketAddress unpackIpv4(long packed) {
        int ip = (int) (packed >>> 16);
        byte[] bytes = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), (int) (packed & 0xffff));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // cannot happen: four bytes
        }
    }

    /**
     * The address of {@code length} bytes at {@code offset}, as the kernel wrote it. An IPv4
     * address that arrived on a dual-stack socket (::ffff:a.b.c.d) comes back as an
     * {@link Inet4Address}, as the JDK's own receive returns it.
     *
     * @throws IllegalArgumentException if the length does not fit the family: never read past what the kernel wrote
     */
    static InetSocketAddress decode(MemorySegment in, long offset, int length) {
        int family = in.get(JAVA_SHORT, offset);
        try {
            if (family == Libc.AF_INET && length >= IN_LENGTH) {
                byte[] ip = new byte[4];
                MemorySegment.copy(in, JAVA_BYTE, offset + 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(in, offset));
            }
            if (family == Libc.AF_INET6 && length >= IN6_LENGTH) {
                byte[] ip = new byte[16];
                MemorySegment.copy(in, JAVA_BYTE, offset + 8, ip, 0, 16);
                int scope = in.get(JAVA_INT, offset + 24);
                InetAddress address = InetAddress.getByAddress(ip); // maps ::ffff:a.b.c.d to IPv4
                if (scope != 0 && address instanceof Inet6Address) {
                    address = Inet6Address.getByAddress(null, ip, scope);
                }
                return new InetSocketAddress(address, port(in, offset));
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // cannot happen: the lengths are right
        }
        throw new IllegalArgumentException("not a socket address: family " + family + ", " + length + " bytes");
    }
}
