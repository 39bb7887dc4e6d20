package upcase.proxy;

import static upcase.proxy.Headers.addresses;
import static upcase.proxy.Headers.ascii;
import static upcase.proxy.Headers.concat;
import static upcase.proxy.Headers.tlv;
import static upcase.proxy.Headers.v2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Random;

/**
 * Valid PROXY headers of every kind and random edits of them (truncations, wrong signatures,
 * lengths past the end, unknown families and commands), from a caller's seeded Random: for the
 * parser's fuzzer and the server's.
 */
final class MutatedHeaders {
    private MutatedHeaders() {}

    record Generated(byte[] bytes, ProxyHeader header) {}

    /** A valid header of a random kind (v1 TCP4/TCP6/UNKNOWN, v2 INET/INET6 with TLVs, LOCAL, UNSPEC). */
    static Generated generate(Random random) throws UnknownHostException {
        int kind = random.nextInt(7);
        InetSocketAddress source = address(random, kind % 2 == 0);
        InetSocketAddress destination = address(random, kind % 2 == 0);
        ProxyHeader proxied = new ProxyHeader(kind < 3 ? 1 : 2, ProxyHeader.Command.PROXY, source, destination);
        return switch (kind) {
            case 0, 1 -> new Generated(ascii("PROXY " + (kind == 0 ? "TCP4 " : "TCP6 ") + text(source) + " "
                    + text(destination) + " " + source.getPort() + " " + destination.getPort() + "\r\n"), proxied);
            case 2 -> new Generated(ascii("PROXY UNKNOWN" + (random.nextBoolean() ? "" : " anything at all") + "\r\n"),
                    new ProxyHeader(1, ProxyHeader.Command.PROXY, null, null));
            case 3, 4 -> {
                byte[] tlvs = new byte[0];
                for (int i = random.nextInt(4); i > 0; i--) {
                    byte[] value = new byte[random.nextInt(40)];
                    random.nextBytes(value);
                    tlvs = concat(tlvs, tlv(random.nextInt(256), value));
                }
                int familyProtocol = kind == 4 ? 0x11 : 0x21;
                yield new Generated(v2(0x21, familyProtocol, concat(addresses(source, destination), tlvs)), proxied);
            }
            case 5 -> new Generated(v2(0x20, random.nextBoolean() ? 0x00 : 0x11, new byte[random.nextInt(30)]),
                    new ProxyHeader(2, ProxyHeader.Command.LOCAL, null, null));
            default -> new Generated(v2(0x21, 0x00, new byte[random.nextInt(30)]),
                    new ProxyHeader(2, ProxyHeader.Command.PROXY, null, null));
        };
    }

    private static InetSocketAddress address(Random random, boolean v4) throws UnknownHostException {
        byte[] raw = new byte[v4 ? 4 : 16];
        random.nextBytes(raw);
        if (!v4) {
            raw[0] = 0x20; // never IPv4-mapped: it would come back as IPv4 and not equal what was written
        }
        return new InetSocketAddress(InetAddress.getByAddress(raw), random.nextInt(65_536));
    }

    private static String text(InetSocketAddress address) {
        return upcase.net.SocketAddresses.ip(address.getAddress());
    }

    private static byte[] noise(Random random) {
        byte[] bytes = new byte[random.nextInt(120)];
        random.nextBytes(bytes);
        byte[] signature = random.nextBoolean() ? Headers.V2_SIGNATURE : ascii("PROXY ");
        return concat(signature, bytes);
    }

    /** A mutated valid header, or (one time in eight) a signature followed by noise, then mutated. */
    static byte[] next(Random random) throws UnknownHostException {
        return mutate(random, random.nextInt(8) == 0 ? noise(random) : generate(random).bytes);
    }

    /** One to three random edits: a flipped byte, a cut, a byte inserted or dropped, a length field rewritten. */
    private static byte[] mutate(Random random, byte[] in) {
        byte[] out = in;
        for (int edits = 1 + random.nextInt(3); edits > 0 && out.length > 0; edits--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out = Arrays.copyOf(out, at);
                case 2 -> out = concat(Arrays.copyOf(out, at), new byte[] {(byte) " \r\n:.0F9".charAt(random.nextInt(8))},
                        Arrays.copyOfRange(out, at, out.length));
                case 3 -> out = concat(Arrays.copyOf(out, at), Arrays.copyOfRange(out, at + 1, out.length));
                case 4 -> {
                    if (out.length >= 16) {
                        out[14] = (byte) random.nextInt(256);
                        out[15] = (byte) random.nextInt(256);
                    }
                }
                default -> out[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return out;
    }
}
