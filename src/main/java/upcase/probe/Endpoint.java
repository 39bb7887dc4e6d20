package upcase.probe;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import upcase.net.SocketAddresses;

/**
 * A server's address as given on the command line: {@code HOST:PORT}, with an IPv6 literal in
 * brackets ({@code [::1]:6789}). Resolved once, before the first check, so that every check
 * talks to the same address.
 */
public record Endpoint(String host, int port) {
    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not 1-65535");
        }
    }

    /** @throws IllegalArgumentException with a message fit to show a user */
    public static Endpoint parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw malformed(text, "no port");
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!(literal(host) instanceof Inet6Address)) {
                throw malformed(text, "'" + host + "' is not an IPv6 address");
            }
        } else if (host.contains(":")) {
            throw malformed(text, "write an IPv6 address in brackets, like [::1]:6789");
        } else if (!host.matches("[A-Za-z0-9.-]+") || (host.matches("[0-9.]+") && literal(host) == null)) {
            throw malformed(text, "'" + host + "' is not a host name or address");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            throw malformed(text, "'" + port + "' is not a port (1-65535)");
        }
        return new Endpoint(host, Integer.parseInt(port));
    }

    private static IllegalArgumentException malformed(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not HOST:PORT: " + why);
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @throws UnknownHostException "unknown host NAME", like upcase's clients */
    public InetSocketAddress resolve() throws UnknownHostException {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("unknown host " + host);
        }
    }

    /** As it is written on the command line. */
    @Override
    public String toString() {
        return SocketAddresses.hostPort(host, port);
    }

    /** A resolved address, written the same way. */
    static String show(InetSocketAddress address) {
        return new Endpoint(address.getAddress().getHostAddress(), address.getPort()).toString();
    }
}
