package upcase.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sockaddr and control-message codecs on memory of their own (no system call): what the
 * kernel writes is trusted only as far as its lengths say, and a malformed length is refused
 * rather than read past.
 */
class CodecsTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "::1", "fd77::2", "::ffff:192.0.2.1"})
    void aSocketAddressSurvivesEncodeAndDecode(String host) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), 54_321);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Sockaddr.CAPACITY, 8);
            int length = Sockaddr.encode(address, memory);

            assertThat(Sockaddr.decode(memory, 0, length)).isEqualTo(address);
            assertThat(Sockaddr.port(memory, 0)).isEqualTo(54_321);
        }
    }

    /** An IPv4 client packs into one long (the server's idle connections keep no address object) and back to the address decode gives. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "255.255.255.255", "0.0.0.0"})
    void anIpv4AddressPacksAndUnpacks(String host) throws Exception {
        for (int port : new int[] {0, 1, 54_321, 65_535}) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment memory = arena.allocate(Sockaddr.CAPACITY, 8);
                int length = Sockaddr.encode(address, memory);
                long packed = Sockaddr.packIpv4(memory, 0, length);

                assertThat(packed).isNotNegative();
                assertThat(Sockaddr.unpackIpv4(packed)).isEqualTo(address).isEqualTo(Sockaddr.decode(memory, 0, length));
            }
        }
    }

    /** A dual-stack listener sees an IPv4 client as ::ffff:a.b.c.d in a sockaddr_in6: packed as IPv4, as decode maps it. */
    @Test
    void anIpv4MappedAddressPacksAsIpv4() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Sockaddr.CAPACITY, 8);
            Sockaddr.encode(new InetSocketAddress(InetAddress.getByName("::1"), 40_000), memory);
            memory.asSlice(8, 16).fill((byte) 0);
            byte[] mapped = {(byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
            MemorySegment.copy(mapped, 0, memory, java.lang.foreign.ValueLayout.JAVA_BYTE, 18, 6);

            InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 40_000);
            assertThat(Sockaddr.decode(memory, 0, Sockaddr.IN6_LENGTH)).isEqualTo(expected);
            assertThat(Sockaddr.unpackIpv4(Sockaddr.packIpv4(memory, 0, Sockaddr.IN6_LENGTH))).isEqualTo(expected);
            assertThat(Sockaddr.packIpv4(memory, 0, Sockaddr.IN6_LENGTH - 1)).as("too short for its family").isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "fd77::2", "::ffff:0:0:1", "fe80::1%1"})
    void anIpv6AddressDoesNotPack(String host) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Sockaddr.CAPACITY, 8);
            int length = Sockaddr.encode(new InetSocketAddress(InetAddress.getByName(host), 1), memory);

            assertThat(Sockaddr.packIpv4(memory, 0, length)).isEqualTo(-1);
        }
    }

    @Test
    void anAddressShorterThanItsFamilyIsRefused() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Sockaddr.CAPACITY, 8);
            int length = Sockaddr.encode(new InetSocketAddress(InetAddress.getByName("::1"), 1), memory);

            assertThatThrownBy(() -> Sockaddr.decode(memory, 0, length - 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Sockaddr.decode(memory, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anIpv4PacketInfoIsFoundAndItsInterfaceCleared() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(PacketInfo.CAPACITY, 8);
            cmsg(control, 0, 28, Libc.SOL_IP, Libc.IP_PKTINFO);
            control.set(JAVA_INT, 16, 7); // ipi_ifindex

            assertThat(PacketInfo.prepareReply(control, 0, 32)).isZero();
            assertThat(control.get(JAVA_INT, 16)).as("ifindex").isZero();
            assertThat(PacketInfo.length(control, 0)).isEqualTo(28);
        }
    }

    @Test
    void anIpv6PacketInfoAfterAnotherMessageIsFound() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(PacketInfo.CAPACITY, 8);
            cmsg(control, 0, 20, Libc.SOL_SOCKET, 29); // SO_TIMESTAMP-like, 4 bytes of data, padded to 24
            cmsg(control, 24, 36, Libc.SOL_IPV6, Libc.IPV6_PKTINFO);

            assertThat(PacketInfo.prepareReply(control, 0, 24 + 40)).isEqualTo(24);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 8, 15, 65, 1L << 40, -1})
    void aMessageWhoseLengthDoesNotFitIsIgnored(long cmsgLength) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(PacketInfo.CAPACITY, 8);
            cmsg(control, 0, cmsgLength, Libc.SOL_IP, Libc.IP_PKTINFO);

            assertThat(PacketInfo.prepareReply(control, 0, PacketInfo.CAPACITY)).isEqualTo(-1);
        }
    }

    @Test
    void controlDataShorterThanAHeaderHoldsNothing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(PacketInfo.CAPACITY, 8);
            cmsg(control, 0, 28, Libc.SOL_IP, Libc.IP_PKTINFO);

            assertThat(PacketInfo.prepareReply(control, 0, 12)).isEqualTo(-1);
            assertThat(PacketInfo.prepareReply(control, 0, 27)).as("shorter than the message says").isEqualTo(-1);
        }
    }

    private static void cmsg(MemorySegment control, long at, long length, int level, int type) {
        control.set(JAVA_LONG, at, length);
        control.set(JAVA_INT, at + 8, level);
        control.set(JAVA_INT, at + 12, type);
    }
}
