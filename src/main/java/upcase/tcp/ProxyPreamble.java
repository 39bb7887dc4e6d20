package upcase.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import upcase.net.SocketAddresses;
import upcase.proxy.ProxyHeaderParser;
import upcase.proxy.ProxyParse;
import upcase.proxy.ProxyPolicy;

/**
 * The start of a connection on a PROXY protocol listener (PROTOCOL.md §PROXY), before its data:
 * reads until it knows who the client is, then hands the bytes it read past the header to the
 * connection's data path. Touched only by the connection's loop thread; dropped once done.
 *
 * <p>A trusted source (a balancer) must send a valid header, complete within the handshake
 * timeout. Any other source is a direct client unless its first bytes are a signature: it is
 * decided at the first byte that cannot begin one (so a line such as {@code PING} is data), and a
 * whole signature closes it, since a header from there is never believed.
 *
 * <p>Memory: the bytes are kept in one array of {@link ProxyHeaderParser#MAX_V2_HEADER} bytes,
 * allocated at the first read, and never more is read here; the parser refuses any header
 * longer, so a connection cannot make the server hold more than that before it is believed.
 */
final class ProxyPreamble {
    private final boolean trusted;
    private byte[] bytes;
    private int filled;

    /** What a read made of the preamble. */
    sealed interface Step {}

    /** Not decided yet: read again when more bytes come. */
    record Reading() implements Step {}

    static final Reading READING = new Reading();

    /**
     * Decided: serve the connection as {@code client}, and {@code bytes[from, to)} are its first
     * data, read past the header.
     *
     * @param balancer the address that sent the header, or null for a direct client
     */
    record Done(InetSocketAddress client, InetSocketAddress balancer, byte[] bytes, int from, int to) implements Step {}

    /** Closed without being served, counted as {@code reason}. */
    record Refused(Refusal reason, String detail) implements Step {}

    private ProxyPreamble(boolean trusted) {
        this.trusted = trusted;
    }

    /** The preamble for a connection over {@code wire}, or null when the listener has none. */
    static ProxyPreamble of(TcpServerConfig config, Wire wire) {
        ProxyPolicy policy = config.proxy();
        if (!policy.enabled()) {
            return null;
        }
        return new ProxyPreamble(policy.trusts(wire.remoteAddress().getAddress()));
    }

    /**
     * Whether the handshake timeout applies: only a source that owes a header has a deadline; any
     * other is a direct client until it shows a signature, and the idle timeout covers its silence.
     */
    boolean owesHeader() {
        return trusted;
    }

    /** Reads what the socket has, never past the bound, and says what the bytes so far make. */
    Step read(Wire wire, InetSocketAddress peer) throws IOException {
        if (bytes == null) {
            bytes = new byte[ProxyHeaderParser.MAX_V2_HEADER];
        }
        int n = wire.read(ByteBuffer.wrap(bytes, filled, bytes.length - filled));
        if (n < 0) {
            return ended(peer);
        }
        if (n == 0) {
            return READING;
        }
        filled += n;
        return trusted ? fromTrusted(peer) : fromUntrusted(peer);
    }

    private Step fromTrusted(InetSocketAddress peer) {
        return switch (ProxyHeaderParser.parse(bytes, 0, filled)) {
            case ProxyParse.Parsed p -> new Done(p.header().clientAddress(peer), peer, bytes, p.consumed(), filled);
            case ProxyParse.Malformed m -> new Refused(Refusal.PROXY_HEADER, m.reason());
            case ProxyParse.Absent a -> new Refused(Refusal.PROXY_HEADER, "no PROXY header from trusted source "
                    + SocketAddresses.ip(peer.getAddress()) + " (it began with " + firstBytes() + ")");
            // Unreachable while the parser keeps its bound (it calls a longer header malformed),
            // but a full array must never mean "read more".
            case ProxyParse.NeedMore n -> filled < bytes.length ? READING
                    : new Refused(Refusal.PROXY_HEADER, "no complete PROXY header in " + bytes.length + " bytes");
        };
    }

    private Step fromUntrusted(InetSocketAddress peer) {
        return switch (ProxyHeaderParser.signature(bytes, 0, filled)) {
            case ABSENT -> new Done(peer, null, bytes, 0, filled);
            case INCOMPLETE -> READING;
            case PRESENT -> new Refused(Refusal.PROXY_UNTRUSTED, "PROXY header from "
                    + SocketAddresses.ip(peer.getAddress()) + ", which is not in --proxy-trusted");
        };
    }

    /**
     * End of stream before a decision. Nothing sent (a balancer's plain TCP health check, a port
     * scan): served, and the connection then sees the end as any client's close. Part of a
     * header from a balancer: truncated. A direct client's few bytes that began like a signature
     * ("PR", then its close): its data, answered like any.
     */
    private Step ended(InetSocketAddress peer) {
        if (filled == 0 || !trusted) {
            return new Done(peer, null, bytes, 0, filled);
        }
        return new Refused(Refusal.PROXY_HEADER, "truncated PROXY header: the connection ended after " + filled + " bytes");
    }

    /** The first few bytes in hex, for the log: what a misconfigured balancer sends instead. */
    private String firstBytes() {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(filled, 8));
    }
}
