package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static upcase.proxy.Headers.addresses;
import static upcase.proxy.Headers.ascii;
import static upcase.proxy.Headers.concat;
import static upcase.proxy.Headers.hex;
import static upcase.proxy.Headers.tlv;
import static upcase.proxy.Headers.v2;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated headers, seeded so a failure repeats: fed whole and one byte more at a time,
 * the parser answers with its own results only (any exception, such as reading past the limit,
 * fails), a valid header always parses back to what was written, and once an answer other than
 * "need more" is given, more bytes never change it.
 */
class ProxyHeaderFuzzTest {
    private static final long SEED = 0x5EED_11L;
    private static final int ROUNDS = 30_000;

    @Test
    void validHeadersParseBackToWhatWasWritten() throws UnknownHostException {
        Random random = new Random(SEED);
        for (int round = 0; round < ROUNDS / 3; round++) {
            Generated g = generate(random);
            byte[] data = new byte[random.nextInt(20)];
            random.nextBytes(data);
            byte[] in = concat(g.bytes, data);
            ProxyParse result = feed(in);
            assertThat(result).as(hex(in)).isEqualTo(new ProxyParse.Parsed(g.header, g.bytes.length));
        }
    }

    @Test
    void mutatedAndRandomHeadersGetOnlyTheParsersOwnAnswers() throws UnknownHostException {
        Random random = new Random(SEED + 1);
        int[] seen = new int[4];
        for (int round = 0; round < ROUNDS; round++) {
            byte[] in = mutate(random, random.nextInt(8) == 0 ? noise(random) : generate(random).bytes);
            ProxyParse result = feed(in);
            switch (result) {
                case ProxyParse.NeedMore n -> seen[0]++;
                case ProxyParse.Absent a -> seen[1]++;
                case ProxyParse.Parsed p -> {
                    seen[2]++;
                    assertThat(p.consumed()).isBetween(1, Math.min(in.length, ProxyHeaderParser.MAX_V2_HEADER));
                }
                case ProxyParse.Malformed m -> {
                    seen[3]++;
                    assertThat(m.reason()).isNotBlank().doesNotContain("\n").hasSizeLessThan(200);
                }
            }
        }
        // The mutations reach every kind of answer, or the fuzzer tests less than it claims.
        assertThat(Arrays.stream(seen).min().orElseThrow()).as("answers of each kind %s", Arrays.toString(seen))
                .isGreaterThan(ROUNDS / 100);
    }

    /**
     * Parses every prefix of {@code in} (as an event loop would see bytes trickle in), each from a
     * buffer with other bytes around it, and returns the answer for the whole.
     */
    private static ProxyParse feed(byte[] in) {
        ProxyParse settled = null;
        ProxyParse last = null;
        byte[] padded = concat(ascii("junk"), in, ascii("\r\nPROXY after the limit\r\n"));
        for (int n = 0; n <= in.length; n++) {
            ByteBuffer window = ByteBuffer.wrap(padded, 4, n);
            try {
                last = ProxyHeaderParser.parse(window);
            } catch (RuntimeException e) {
                fail("threw on " + hex(Arrays.copyOf(in, n)), e);
            }
            assertThat(last).isNotNull();
            assertThat(window.position()).isEqualTo(4);
            assertThat(window.limit()).isEqualTo(4 + n);
            if (settled == null && !last.equals(ProxyParse.NEED_MORE)) {
                settled = last;
            } else if (settled != null) {
                assertThat(last).as("%s: once answered, more bytes changed the answer", hex(in)).isEqualTo(settled);
            }
        }
        return last;
    }

    private record Generated(byte[] bytes, ProxyHeader header) {}

    private static Generated generate(Random random) throws UnknownHostException {
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
