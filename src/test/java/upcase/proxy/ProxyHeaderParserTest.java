package upcase.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static upcase.proxy.Headers.addresses;
import static upcase.proxy.Headers.ascii;
import static upcase.proxy.Headers.at;
import static upcase.proxy.Headers.concat;
import static upcase.proxy.Headers.hex;
import static upcase.proxy.Headers.parse;
import static upcase.proxy.Headers.tlv;
import static upcase.proxy.Headers.v2;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import upcase.proxy.ProxyHeader.Command;

/** docs/PROTOCOL.md §PROXY protocol: every rule of HAProxy's specification, as byte fixtures. */
class ProxyHeaderParserTest {

    // ---- v1 ----

    @Test
    void v1Tcp4FromTheSpecificationLeavesTheDataAfterIt() {
        byte[] in = ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET / HTTP/1.1\r\n");
        ProxyParse.Parsed parsed = parsed(in);
        assertThat(parsed.header()).isEqualTo(new ProxyHeader(1, Command.PROXY,
                at("192.168.0.1", 56324), at("192.168.0.11", 443)));
        assertThat(parsed.consumed()).isEqualTo("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n".length());
    }

    @Test
    void v1Tcp6() {
        ProxyParse.Parsed parsed = parsed(ascii("PROXY TCP6 2001:db8::1 ::1 0 65535\r\n"));
        assertThat(parsed.header().source()).isEqualTo(at("2001:db8::1", 0));
        assertThat(parsed.header().destination()).isEqualTo(at("::1", 65535));
    }

    @Test
    void v1Tcp6WithAnIpv4MappedAddressIsThatIpv4Address() {
        ProxyParse.Parsed parsed = parsed(ascii("PROXY TCP6 ::ffff:192.0.2.7 ::1 1000 80\r\n"));
        assertThat(parsed.header().source().getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(parsed.header().source()).isEqualTo(at("192.0.2.7", 1000));
    }

    @Test
    void v1UnknownMeansTheConnectionsOwnAddressesWhateverFollowsIt() {
        for (String line : new String[] {"PROXY UNKNOWN\r\n", "PROXY UNKNOWN 1.2.3.4 whatever goes here\r\n"}) {
            ProxyParse.Parsed parsed = parsed(ascii(line + "data"));
            assertThat(parsed.header()).isEqualTo(new ProxyHeader(1, Command.PROXY, null, null));
            assertThat(parsed.consumed()).isEqualTo(line.length());
            assertThat(parsed.header().clientAddress(at("10.0.0.1", 5))).isEqualTo(at("10.0.0.1", 5));
        }
    }

    @Test
    void v1TheSpecificationsWorstCaseOf107BytesFitsAndOneMoreDoesNot() {
        String full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        String worst = "PROXY UNKNOWN " + full + " " + full + " 65535 65535\r\n";
        assertThat(worst).hasSize(107);
        assertThat(parsed(ascii(worst)).consumed()).isEqualTo(107);
        String tooLong = "PROXY UNKNOWN " + full + " " + full + " 65535 655350\r\n";
        assertThat(parse(ascii(tooLong))).isEqualTo(new ProxyParse.Malformed("v1 header has no CRLF within 107 bytes"));
        // Without a CRLF, 106 bytes may still become a header; 107 cannot.
        assertThat(parse(Arrays.copyOf(ascii(tooLong), 106))).isEqualTo(ProxyParse.NEED_MORE);
        assertThat(parse(Arrays.copyOf(ascii(tooLong), 107))).isInstanceOf(ProxyParse.Malformed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 65536\r\n", // port out of range
        "PROXY TCP4 192.168.0.1 192.168.0.11 056324 443\r\n", // leading zero
        "PROXY TCP4 192.168.0.1 192.168.0.11 -1 443\r\n",
        "PROXY TCP4 192.168.0.1 192.168.0.11 +1 443\r\n",
        "PROXY TCP4 192.168.0.1 192.168.0.11 0x50 443\r\n",
        "PROXY TCP4 256.168.0.1 192.168.0.11 1 443\r\n",
        "PROXY TCP4 192.168.0 192.168.0.11 1 443\r\n",
        "PROXY TCP4 192.168.00.1 192.168.0.11 1 443\r\n", // leading zero: octal to some parsers
        "PROXY TCP4 192.168.0.1. 192.168.0.11 1 443\r\n",
        "PROXY TCP4 localhost 192.168.0.11 1 443\r\n", // names are never looked up
        "PROXY TCP4 ::1 192.168.0.11 1 443\r\n", // IPv6 in TCP4
        "PROXY TCP6 192.168.0.1 ::1 1 443\r\n", // IPv4 in TCP6
        "PROXY TCP6 fe80::1%eth0 ::1 1 443\r\n", // a zone
        "PROXY TCP6 [::1] ::1 1 443\r\n",
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 443\r\n",
        "PROXY TCP4  192.168.0.1 192.168.0.11 1 443\r\n", // two spaces
        "PROXY TCP4 192.168.0.1 192.168.0.11 1 443 \r\n", // trailing space
        "PROXY TCP4 192.168.0.1 192.168.0.11 1\r\n", // a field missing
        "PROXY TCP4 192.168.0.1 192.168.0.11 1 443 7\r\n", // a field too many
        "PROXY TCP5 192.168.0.1 192.168.0.11 1 443\r\n",
        "PROXY tcp4 192.168.0.1 192.168.0.11 1 443\r\n",
        "PROXY UNKNOWNX\r\n",
        "PROXY \r\n",
        "PROXY TCP4 192.168.0.1 192.168.0.11 1 443\n", // LF without CR
        "PROXY TCP4 192.168.0.1 192.168.0.11 1 443\rX\n", // CR without LF
        "PROXY TCP4 192.168.0.1\t192.168.0.11 1 443\r\n", // a tab
        "PROXY TCP4 192.168.0.1 192.168.0.11 1 443\0\r\n",
        "PROXY TCP4 192.168.0.1 192.168.0.11 1 44\u00e9\r\n", // not ASCII
    })
    void v1BreakingARuleIsMalformedAtEveryLengthThatShowsIt(String header) {
        byte[] in = ascii(header);
        ProxyParse whole = parse(in);
        assertThat(whole).as(header).isInstanceOf(ProxyParse.Malformed.class);
        assertEveryPrefixNeedsMoreOrAgrees(in, whole);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GET / HTTP/1.1\r\n", "hello\n", "proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n", "PROXYX", "PROX\n",
        "\r\n\r\nX"})
    void bytesThatBeginNeitherSignatureAreNoHeader(String text) {
        byte[] in = ascii(text);
        // The empty input may still become one; anything that leaves both signatures is absent.
        assertThat(parse(in)).isEqualTo(text.isEmpty() ? ProxyParse.NEED_MORE : ProxyParse.ABSENT);
    }

    @Test
    void aTlsClientHelloIsNoHeader() {
        assertThat(parse(hex("16 03 01 02 00 01 00 01 fc 03 03"))).isEqualTo(ProxyParse.ABSENT);
    }

    @Test
    void aSignaturesBeginningNeedsMore() {
        assertThat(parse(ascii("PRO"))).isEqualTo(ProxyParse.NEED_MORE);
        assertThat(parse(ascii("PROXY TCP4 1.2"))).isEqualTo(ProxyParse.NEED_MORE);
        assertThat(parse(hex("0D 0A 0D"))).isEqualTo(ProxyParse.NEED_MORE);
    }

    // ---- v2 ----

    @Test
    void v2Tcp4AsHaproxySendsIt() {
        byte[] in = concat(hex("0D0A0D0A000D0A515549540A 21 11 000C 7F000002 7F000001 DC04 01BB"), ascii("hello\n"));
        ProxyParse.Parsed parsed = parsed(in);
        assertThat(parsed.header()).isEqualTo(new ProxyHeader(2, Command.PROXY, at("127.0.0.2", 56324), at("127.0.0.1", 443)));
        assertThat(parsed.consumed()).isEqualTo(28);
    }

    @Test
    void v2Tcp6() {
        byte[] in = v2(0x21, 0x21, addresses(at("2001:db8::7", 40000), at("::1", 6789)));
        ProxyParse.Parsed parsed = parsed(in);
        assertThat(parsed.header()).isEqualTo(new ProxyHeader(2, Command.PROXY, at("2001:db8::7", 40000), at("::1", 6789)));
        assertThat(parsed.consumed()).isEqualTo(16 + 36);
    }

    @Test
    void v2Tcp6WithIpv4MappedAddressesIsIpv4() {
        byte[] block = concat(hex("00000000000000000000FFFF C0000207"), hex("00000000000000000000000000000001"), hex("0050 0051"));
        ProxyParse.Parsed parsed = parsed(v2(0x21, 0x21, block));
        assertThat(parsed.header().source()).isEqualTo(at("192.0.2.7", 80));
    }

    @Test
    void v2LocalIsTheBalancerItselfWhateverTheBlockHolds() {
        for (byte[] in : new byte[][] {
            v2(0x20, 0x00, new byte[0]),
            v2(0x20, 0x11, addresses(at("10.0.0.1", 1), at("10.0.0.2", 2))),
            v2(0x20, 0x00, hex("01 02 03")), // the block is discarded, unread
        }) {
            ProxyParse.Parsed parsed = parsed(in);
            assertThat(parsed.header()).isEqualTo(new ProxyHeader(2, Command.LOCAL, null, null));
            assertThat(parsed.consumed()).isEqualTo(in.length);
        }
    }

    @Test
    void v2UnspecAndTheCombinationsUpcaseDoesNotUseFallBackToTheConnectionsAddresses() {
        byte[] unix = new byte[216];
        for (byte[] in : new byte[][] {
            v2(0x21, 0x00, new byte[0]),
            v2(0x21, 0x00, hex("01 02 03 04")), // UNSPEC: the block's content is not an address
            v2(0x21, 0x12, addresses(at("10.0.0.1", 53), at("10.0.0.2", 53))), // UDP over IPv4
            v2(0x21, 0x22, addresses(at("::2", 53), at("::3", 53))), // UDP over IPv6
            v2(0x21, 0x31, unix),
            v2(0x21, 0x32, unix),
        }) {
            assertThat(parsed(in).header()).as(hex(in)).isEqualTo(new ProxyHeader(2, Command.PROXY, null, null));
        }
    }

    @Test
    void v2TlvsAreSkippedAndTheirFramingChecked() {
        byte[] block = concat(addresses(at("10.1.2.3", 1234), at("10.0.0.1", 6789)),
                tlv(0x01, ascii("h2")), tlv(0x02, ascii("example.com")), tlv(0x04, new byte[0]), tlv(0xEE, new byte[300]));
        ProxyParse.Parsed parsed = parsed(concat(v2(0x21, 0x11, block), ascii("data")));
        assertThat(parsed.header().source()).isEqualTo(at("10.1.2.3", 1234));
        assertThat(parsed.consumed()).isEqualTo(16 + block.length);

        byte[] pastTheEnd = concat(addresses(at("10.1.2.3", 1234), at("10.0.0.1", 6789)), hex("02 0010"), ascii("short"));
        assertThat(parse(v2(0x21, 0x11, pastTheEnd))).isEqualTo(
                new ProxyParse.Malformed("v2 TLV 0x02 of 16 bytes runs past the header's end"));
        byte[] cutHeader = concat(addresses(at("10.1.2.3", 1234), at("10.0.0.1", 6789)), hex("02 00"));
        assertThat(parse(v2(0x21, 0x11, cutHeader))).isInstanceOf(ProxyParse.Malformed.class);
    }

    @Test
    void v2LengthIsBoundedAt1KiB() {
        byte[] largest = concat(addresses(at("10.1.2.3", 1), at("10.0.0.1", 2)), tlv(0x04, new byte[1024 - 16 - 12 - 3]));
        assertThat(parsed(v2(0x21, 0x11, largest)).consumed()).isEqualTo(1024);
        byte[] over = concat(largest, new byte[] {0});
        // Refused as soon as the length is read, before the body arrives: nothing to buffer.
        assertThat(parse(Arrays.copyOf(v2(0x21, 0x11, over), 16))).isEqualTo(
                new ProxyParse.Malformed("v2 header of 1025 bytes is over the limit of 1024"));
        assertThat(parse(v2(0x21, 0x11, 0xFFFF, new byte[0]))).isInstanceOf(ProxyParse.Malformed.class);
    }

    @Test
    void v2BreakingARuleIsMalformedAsSoonAsTheByteThatShowsItArrives() {
        byte[] tcp4 = addresses(at("10.0.0.1", 1), at("10.0.0.2", 2));
        Object[][] cases = {
            {v2(0x11, 0x11, tcp4), "v2 signature with unsupported version 1", 13},
            {v2(0x31, 0x11, tcp4), "v2 signature with unsupported version 3", 13},
            {v2(0x01, 0x11, tcp4), "v2 signature with unsupported version 0", 13},
            {v2(0x22, 0x11, tcp4), "v2 unknown command 0x2", 13},
            {v2(0x2F, 0x11, tcp4), "v2 unknown command 0xf", 13},
            {v2(0x21, 0x41, tcp4), "v2 unknown address family/protocol 0x41", 14},
            {v2(0x21, 0x13, tcp4), "v2 unknown address family/protocol 0x13", 14},
            {v2(0x21, 0x10, tcp4), "v2 unknown address family/protocol 0x10", 14},
            {v2(0x21, 0x01, tcp4), "v2 unknown address family/protocol 0x01", 14},
            {v2(0x21, 0x11, Arrays.copyOf(tcp4, 11)), "v2 address block of 11 bytes is shorter than its family needs (12)", 27},
            {v2(0x21, 0x21, tcp4), "v2 address block of 12 bytes is shorter than its family needs (36)", 28},
            {v2(0x21, 0x31, new byte[215]), "v2 address block of 215 bytes is shorter than its family needs (216)", 231},
        };
        for (Object[] c : cases) {
            byte[] in = (byte[]) c[0];
            ProxyParse expected = new ProxyParse.Malformed((String) c[1]);
            assertThat(parse(in)).as(hex(in)).isEqualTo(expected);
            assertThat(parse(Arrays.copyOf(in, (int) c[2]))).as("first %d bytes", c[2]).isEqualTo(expected);
            assertThat(parse(Arrays.copyOf(in, (int) c[2] - 1))).isEqualTo(ProxyParse.NEED_MORE);
        }
    }

    @Test
    void aLengthPastTheBytesThereNeedsMoreAndNeverReadsBeyondTheLimit() {
        byte[] header = v2(0x21, 0x11, 12, new byte[4]); // says 12, has 4
        assertThat(parse(header)).isEqualTo(ProxyParse.NEED_MORE);
        // The bytes after the limit would complete it: they must not be read.
        byte[] buffer = concat(header, new byte[8], ascii("more"));
        assertThat(ProxyHeaderParser.parse(buffer, 0, header.length)).isEqualTo(ProxyParse.NEED_MORE);
        assertThat(ProxyHeaderParser.parse(buffer, 0, header.length + 8)).isInstanceOf(ProxyParse.Parsed.class);
    }

    @Test
    void parsesFromTheBuffersPositionAndLeavesItAsItWas() {
        byte[] header = ascii("PROXY TCP4 10.0.0.9 10.0.0.1 5 6\r\n");
        ByteBuffer in = ByteBuffer.wrap(concat(ascii("xyz"), header, ascii("data")));
        in.position(3).limit(3 + header.length + 2);
        ProxyParse.Parsed parsed = (ProxyParse.Parsed) ProxyHeaderParser.parse(in);
        assertThat(parsed.consumed()).isEqualTo(header.length);
        assertThat(in.position()).isEqualTo(3);
        assertThat(in.limit()).isEqualTo(3 + header.length + 2);
    }

    @Test
    void everyValidHeaderNeedsMoreAtEveryShorterLength() {
        byte[][] valid = {
            ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
            ascii("PROXY TCP6 2001:db8::1 ::1 0 65535\r\n"),
            ascii("PROXY UNKNOWN\r\n"),
            v2(0x21, 0x11, addresses(at("10.0.0.1", 1), at("10.0.0.2", 2))),
            v2(0x21, 0x21, addresses(at("::1", 1), at("::2", 2))),
            v2(0x20, 0x00, new byte[0]),
            v2(0x21, 0x11, concat(addresses(at("10.0.0.1", 1), at("10.0.0.2", 2)), tlv(1, ascii("h2")))),
        };
        for (byte[] in : valid) {
            for (int n = 0; n < in.length; n++) {
                assertThat(parse(Arrays.copyOf(in, n))).as("%s cut at %d", hex(in), n).isEqualTo(ProxyParse.NEED_MORE);
            }
            assertThat(parsed(in).consumed()).isEqualTo(in.length);
        }
    }

    static void assertEveryPrefixNeedsMoreOrAgrees(byte[] in, ProxyParse whole) {
        for (int n = 0; n <= in.length; n++) {
            ProxyParse prefix = parse(Arrays.copyOf(in, n));
            if (!prefix.equals(ProxyParse.NEED_MORE)) {
                assertThat(prefix).as("%s cut at %d", hex(in), n).isEqualTo(whole);
            }
        }
    }

    private static ProxyParse.Parsed parsed(byte[] in) {
        ProxyParse result = parse(in);
        assertThat(result).as(hex(in)).isInstanceOf(ProxyParse.Parsed.class);
        return (ProxyParse.Parsed) result;
    }
}
