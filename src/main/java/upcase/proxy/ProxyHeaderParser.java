package upcase.proxy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a PROXY protocol header, v1 (text) or v2 (binary), as HAProxy's specification
 * ({@code proxy-protocol.txt}) defines it, from the bytes a connection has sent so far. Pure: no
 * sockets, no state, no DNS. The answer depends only on the bytes given, so an event loop may
 * parse again each time more arrive: a valid beginning is {@link ProxyParse#NEED_MORE}, never
 * an error, and every answer other than that stays the same however many more bytes follow.
 * Never reads outside {@code [position, limit)} and never throws for any input.
 */
public final class ProxyHeaderParser {
    /** The v1 signature: {@code PROXY} and a space. */
    static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** The v2 signature, chosen by the specification never to occur at the start of text protocols. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /**
     * The longest v1 header, CRLF included: the specification's worst case,
     * {@code PROXY UNKNOWN} and two full IPv6 addresses and ports.
     */
    public static final int MAX_V1_HEADER = 107;
    /** v2: signature, version/command, family/protocol and the two length bytes. */
    static final int V2_FIXED = 16;
    /**
     * The longest v2 header accepted, all 16 fixed bytes included. The specification allows 16 +
     * 65,535, but the largest address block is 216 bytes (AF_UNIX) and every TLV real balancers
     * send (HAProxy's ALPN, authority of at most 255 bytes, unique ID of at most 128, SSL details
     * and CRC; AWS's VPC endpoint ID; Azure's link ID; GCP's connection ID) adds well under 600
     * more. 1 KiB keeps what a connection may make the server buffer before it is believed small
     * (per connection, before any reply), and refuses only headers no known sender writes.
     */
    public static final int MAX_V2_HEADER = 1024;

    private static final int AF_INET = 1;
    private static final int AF_INET6 = 2;
    private static final int PROTO_STREAM = 1;

    private ProxyHeaderParser() {}

    /** Parses {@code bytes[from, to)}. */
    public static ProxyParse parse(byte[] bytes, int from, int to) {
        return parse(ByteBuffer.wrap(bytes, from, to - from));
    }

    /** Parses the bytes between {@code in}'s position and limit, leaving both as they were. */
    public static ProxyParse parse(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
        if (available == 0) {
            return ProxyParse.NEED_MORE;
        }
        if (startsWith(in, start, available, V1_SIGNATURE)) {
            return available < V1_SIGNATURE.length ? ProxyParse.NEED_MORE : parseV1(in, start, available);
        }
        if (startsWith(in, start, available, V2_SIGNATURE)) {
            return available < V2_SIGNATURE.length ? ProxyParse.NEED_MORE : parseV2(in, start, available);
        }
        return ProxyParse.ABSENT;
    }

    /** What the first bytes of a connection say about a header, before any of its content is read. */
    public enum Signature {
        /** The bytes so far are a beginning of v1's or v2's signature, but not all of it. */
        INCOMPLETE,
        /** A whole v1 ({@code "PROXY "}) or v2 (12-byte) signature. */
        PRESENT,
        /** A byte that cannot begin either signature: the connection sent no header. */
        ABSENT
    }

    /**
     * Decides at the first byte that cannot belong to either signature, or at the end of a whole
     * one: for a sender that may not send a header at all, without waiting for the rest of it.
     */
    public static Signature signature(byte[] bytes, int from, int to) {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        int available = to - from;
        boolean v1 = startsWith(in, from, available, V1_SIGNATURE);
        boolean v2 = startsWith(in, from, available, V2_SIGNATURE);
        if (v1 && available >= V1_SIGNATURE.length || v2 && available >= V2_SIGNATURE.length) {
            return Signature.PRESENT;
        }
        return v1 || v2 ? Signature.INCOMPLETE : Signature.ABSENT;
    }

    /** Whether the first {@code min(available, signature.length)} bytes are the signature's. */
    private static boolean startsWith(ByteBuffer in, int start, int available, byte[] signature) {
        int n = Math.min(available, signature.length);
        for (int i = 0; i < n; i++) {
            if (in.get(start + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- v1: "PROXY TCP4|TCP6|UNKNOWN ...\r\n", printable US-ASCII, at most 107 bytes ----

    private static ProxyParse parseV1(ByteBuffer in, int start, int available) {
        int scan = Math.min(available, MAX_V1_HEADER);
        for (int i = V1_SIGNATURE.length; i < scan; i++) {
            byte b = in.get(start + i);
            if (b == '\n') {
                if (in.get(start + i - 1) != '\r') {
                    return malformed("v1 line ends with LF alone, not CRLF");
                }
                byte[] line = new byte[i - 1];
                in.get(start, line);
                return parseV1Line(new String(line, StandardCharsets.US_ASCII), i + 1);
            }
            if (b == '\r') {
                if (i + 1 < available && in.get(start + i + 1) != '\n') {
                    return malformed("v1 has a CR not followed by LF");
                }
            } else if (b < 0x20 || b > 0x7E) {
                return malformed("v1 has a byte that is not printable US-ASCII (0x"
                        + Integer.toHexString(b & 0xFF) + ") at offset " + i);
            }
        }
        if (available >= MAX_V1_HEADER) {
            return malformed("v1 header has no CRLF within " + MAX_V1_HEADER + " bytes");
        }
        return ProxyParse.NEED_MORE;
    }

    private static ProxyParse parseV1Line(String line, int consumed) {
        if (line.equals("PROXY UNKNOWN") || line.startsWith("PROXY UNKNOWN ")) {
            // The specification: the rest of the line is to be ignored and the real endpoints used.
            return new ProxyParse.Parsed(new ProxyHeader(1, ProxyHeader.Command.PROXY, null, null), consumed);
        }
        String[] fields = line.split(" ", -1);
        if (fields.length != 6 || !(fields[1].equals("TCP4") || fields[1].equals("TCP6"))) {
            return malformed("v1 is not 'PROXY TCP4|TCP6 SRC DST SRCPORT DSTPORT' or 'PROXY UNKNOWN': "
                    + printable(line));
        }
        boolean v4 = fields[1].equals("TCP4");
        InetAddress source = v4 ? IpLiterals.ipv4(fields[2]) : IpLiterals.ipv6(fields[2]);
        InetAddress destination = v4 ? IpLiterals.ipv4(fields[3]) : IpLiterals.ipv6(fields[3]);
        if (source == null || destination == null) {
            return malformed("v1 " + fields[1] + " address is not an " + (v4 ? "IPv4" : "IPv6") + " address: "
                    + printable(source == null ? fields[2] : fields[3]));
        }
        int sourcePort = port(fields[4]);
        int destinationPort = port(fields[5]);
        if (sourcePort < 0 || destinationPort < 0) {
            return malformed("v1 port is not a number 0-65535: " + printable(sourcePort < 0 ? fields[4] : fields[5]));
        }
        return new ProxyParse.Parsed(new ProxyHeader(1, ProxyHeader.Command.PROXY,
                new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort)),
                consumed);
    }

    /** Decimal 0-65535 without sign or leading zeros; -1 otherwise. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || text.length() > 1 && text.charAt(0) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65_535 ? value : -1;
    }

    // ---- v2: signature, ver/cmd, fam/proto, length (big-endian), address block, TLVs ----

    private static ProxyParse parseV2(ByteBuffer in, int start, int available) {
        if (available < 13) {
            return ProxyParse.NEED_MORE;
        }
        int versionCommand = in.get(start + 12) & 0xFF;
        if (versionCommand >> 4 != 2) {
            return malformed("v2 signature with unsupported version " + (versionCommand >> 4));
        }
        int command = versionCommand & 0x0F;
        if (command > 1) {
            return malformed("v2 unknown command 0x" + Integer.toHexString(command));
        }
        if (available < 14) {
            return ProxyParse.NEED_MORE;
        }
        int familyProtocol = in.get(start + 13) & 0xFF;
        int family = familyProtocol >> 4;
        int protocol = familyProtocol & 0x0F;
        // The specification's valid combinations: 0x00 (UNSPEC), or a family 1-3 (INET, INET6,
        // UNIX) with protocol 1-2 (STREAM, DGRAM); "other values ... must be rejected".
        if (familyProtocol != 0 && (family < 1 || family > 3 || protocol < 1 || protocol > 2)) {
            return malformed("v2 unknown address family/protocol 0x" + String.format("%02x", familyProtocol));
        }
        if (available < V2_FIXED) {
            return ProxyParse.NEED_MORE;
        }
        int length = in.getShort(start + 14) & 0xFFFF;
        if (V2_FIXED + length > MAX_V2_HEADER) {
            return malformed("v2 header of " + (V2_FIXED + length) + " bytes is over the limit of " + MAX_V2_HEADER);
        }
        if (available < V2_FIXED + length) {
            return ProxyParse.NEED_MORE;
        }
        int consumed = V2_FIXED + length;
        if (command == 0) {
            // LOCAL: "the receiver must ... use the real connection endpoints and discard the
            // protocol block including the family".
            return new ProxyParse.Parsed(new ProxyHeader(2, ProxyHeader.Command.LOCAL, null, null), consumed);
        }
        if (familyProtocol == 0) {
            // UNSPEC: "the receiver ... must ignore address information", so the block has no
            // layout to check; it is skipped whole.
            return new ProxyParse.Parsed(new ProxyHeader(2, ProxyHeader.Command.PROXY, null, null), consumed);
        }
        int addressLength = switch (family) {
            case AF_INET -> 12;
            case AF_INET6 -> 36;
            default -> 216; // AF_UNIX: two 108-byte paths
        };
        if (length < addressLength) {
            return malformed("v2 address block of " + length + " bytes is shorter than its family needs ("
                    + addressLength + ")");
        }
        String tlvProblem = checkTlvs(in, start + V2_FIXED + addressLength, start + consumed);
        if (tlvProblem != null) {
            return malformed(tlvProblem);
        }
        if ((family != AF_INET && family != AF_INET6) || protocol != PROTO_STREAM) {
            // AF_UNIX or datagrams: the specification lets a receiver that does not use them fall
            // back to UNSPEC, the connection's own endpoints.
            return new ProxyParse.Parsed(new ProxyHeader(2, ProxyHeader.Command.PROXY, null, null), consumed);
        }
        int a = start + V2_FIXED;
        int size = family == AF_INET ? 4 : 16;
        InetAddress source = address(in, a, size);
        InetAddress destination = address(in, a + size, size);
        int sourcePort = in.getShort(a + 2 * size) & 0xFFFF;
        int destinationPort = in.getShort(a + 2 * size + 2) & 0xFFFF;
        return new ProxyParse.Parsed(new ProxyHeader(2, ProxyHeader.Command.PROXY,
                new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort)),
                consumed);
    }

    /**
     * Walks the TLVs (type byte, two length bytes, value) in {@code [from, to)} without keeping
     * any: upcase uses none, but one that runs past the header means the header is corrupt.
     * Returns the problem, or null.
     */
    private static String checkTlvs(ByteBuffer in, int from, int to) {
        int at = from;
        while (at < to) {
            if (to - at < 3) {
                return "v2 TLV header cut off: " + (to - at) + " byte(s) left at offset " + (at - from);
            }
            int valueLength = in.getShort(at + 1) & 0xFFFF;
            if (valueLength > to - at - 3) {
                return "v2 TLV 0x" + String.format("%02x", in.get(at) & 0xFF) + " of " + valueLength
                        + " bytes runs past the header's end";
            }
            at += 3 + valueLength;
        }
        return null;
    }

    private static InetAddress address(ByteBuffer in, int at, int size) {
        byte[] raw = new byte[size];
        in.get(at, raw);
        try {
            // An IPv4-mapped address in an INET6 block comes back as Inet4Address (the JDK's rule).
            return size == 4 ? (Inet4Address) InetAddress.getByAddress(raw) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an IP address", e);
        }
    }

    private static ProxyParse malformed(String reason) {
        return new ProxyParse.Malformed(reason);
    }

    /** Header text in an error message, cut short; it may come from anyone. */
    private static String printable(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
