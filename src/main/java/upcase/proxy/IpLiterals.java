package upcase.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Numeric IP addresses from text, strictly and without ever asking DNS: a PROXY header or a
 * {@code --proxy-trusted} list that names a host is an error, not a lookup.
 */
final class IpLiterals {
    private IpLiterals() {}

    /**
     * Four decimal octets 0-255, without leading zeros (which some parsers read as octal), as the
     * PROXY specification writes them; null if {@code text} is anything else.
     */
    static Inet4Address ipv4(String text) {
        byte[] octets = new byte[4];
        int octet = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 3 || digits == 1 && value == 0) {
                    return null;
                }
                value = (digits == 0 ? 0 : value * 10) + (c - '0');
                digits++;
            } else if (c == '.') {
                if (digits == 0 || value > 255 || octet == 4) {
                    return null;
                }
                octets[octet++] = (byte) value;
                digits = 0;
            } else {
                return null;
            }
        }
        if (octet != 4) {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    /**
     * An IPv6 address in RFC 4291 text (hex groups, {@code ::}, an IPv4 tail), without a zone or
     * brackets; null if {@code text} is anything else. An IPv4-mapped address
     * ({@code ::ffff:192.0.2.1}) comes back as its {@link Inet4Address}, as the JDK returns it
     * from sockets too.
     */
    static InetAddress ipv6(String text) {
        if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!hex && c != ':' && c != '.') {
                return null;
            }
        }
        try {
            return Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
