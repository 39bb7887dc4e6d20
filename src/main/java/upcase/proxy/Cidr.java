package upcase.proxy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import upcase.net.SocketAddresses;

/**
 * A block of addresses, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of
 * one. IPv4-mapped IPv6 addresses are IPv4 addresses here, in blocks and in what is matched: a
 * dual-stack listener sees an IPv4 balancer as {@code ::ffff:10.0.0.5}, and it must still match
 * {@code 10.0.0.0/8}.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code ADDRESS[/PREFIX]}, numeric addresses only (never DNS).
     *
     * @throws IllegalArgumentException with a one-line reason naming the text
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = IpLiterals.ipv4(addressText);
        boolean mapped = false;
        if (address == null) {
            address = IpLiterals.ipv6(addressText);
            mapped = address instanceof Inet4Address; // ::ffff:a.b.c.d, prefix counted over 128 bits
        }
        if (address == null) {
            throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
        }
        byte[] bytes = address.getAddress();
        int bits = mapped ? 128 : bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!prefixText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > bits) {
                throw new IllegalArgumentException("prefix length must be 0-" + bits + " in '" + text + "'");
            }
            prefix = Integer.parseInt(prefixText);
        }
        if (mapped) {
            if (prefix < 96) {
                throw new IllegalArgumentException("an IPv4-mapped block needs a prefix of 96 or more: '" + text + "'");
            }
            prefix -= 96;
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + text + "' has host bits set after its prefix: did you mean "
                        + format(mask(bytes, prefix), prefix) + "?");
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** Whether {@code address} is in this block; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    public boolean contains(InetAddress address) {
        byte[] candidate = unmapped(address.getAddress());
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /** {@code ::ffff:a.b.c.d} as its four IPv4 bytes; anything else as it is. */
    private static byte[] unmapped(byte[] raw) {
        if (raw.length != 16) {
            return raw;
        }
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return raw;
            }
        }
        return raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF ? Arrays.copyOfRange(raw, 12, 16) : raw;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static String format(byte[] bytes, int prefix) {
        try {
            return SocketAddresses.ip(InetAddress.getByAddress(bytes)) + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an IP address", e);
        }
    }

    @Override
    public String toString() {
        return format(network, prefix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }
}
