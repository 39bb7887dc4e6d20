package upcase.proxy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** PROXY header fixtures, built byte by byte as the specification lays them out. */
final class Headers {
    static final byte[] V2_SIGNATURE = HexFormat.of().parseHex("0D0A0D0A000D0A515549540A");

    private Headers() {}

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** A v2 header: signature, version/command byte, family/protocol byte, length, then {@code body}. */
    static byte[] v2(int versionCommand, int familyProtocol, byte[] body) {
        return v2(versionCommand, familyProtocol, body.length, body);
    }

    /** A v2 header whose length field says {@code declared}, whatever the body's real length. */
    static byte[] v2(int versionCommand, int familyProtocol, int declared, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.put(V2_SIGNATURE).put((byte) versionCommand).put((byte) familyProtocol).putShort((short) declared).put(body);
        return b.array();
    }

    /** An address block: source, destination, source port, destination port. */
    static byte[] addresses(InetSocketAddress source, InetSocketAddress destination) {
        byte[] s = source.getAddress().getAddress();
        byte[] d = destination.getAddress().getAddress();
        return ByteBuffer.allocate(s.length + d.length + 4).put(s).put(d)
                .putShort((short) source.getPort()).putShort((short) destination.getPort()).array();
    }

    static byte[] tlv(int type, byte[] value) {
        return ByteBuffer.allocate(3 + value.length).put((byte) type).putShort((short) value.length).put(value).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static InetSocketAddress at(String literal, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(literal), port);
    }

    static ProxyParse parse(byte[] bytes) {
        return ProxyHeaderParser.parse(bytes, 0, bytes.length);
    }
}
