package upcase.proxy;

import java.net.InetAddress;

/**
 * Whether a TCP listener expects a PROXY protocol header, and from whom ({@code --proxy-protocol
 * --proxy-trusted CIDR[,CIDR...]}, docs/PROTOCOL.md §PROXY). The two come together: a listener
 * that believed a header from anyone would let anyone forge their address into the logs.
 *
 * <p>A trusted source must send a header (HAProxy's specification: a receiver configured for the
 * protocol must not guess whether one is there); any other source may send none and is then a
 * direct client, but one that sends a header is closed, never believed.
 *
 * @param trusted the balancers' addresses; null exactly for {@link #OFF}
 */
public record ProxyPolicy(TrustedSources trusted) {
    /** No PROXY protocol: every connection is a direct client, as without the option. */
    public static final ProxyPolicy OFF = new ProxyPolicy(null);

    /** The PROXY protocol from the sources in {@code trusted}, such as {@code 10.0.0.0/8,::1}. */
    public static ProxyPolicy trusting(TrustedSources trusted) {
        return new ProxyPolicy(java.util.Objects.requireNonNull(trusted, "trusted"));
    }

    public boolean enabled() {
        return trusted != null;
    }

    /** Whether a connection from {@code address} must (and may) begin with a header. */
    public boolean trusts(InetAddress address) {
        return trusted != null && trusted.contains(address);
    }

    @Override
    public String toString() {
        return enabled() ? "PROXY protocol from " + trusted : "no PROXY protocol";
    }
}
