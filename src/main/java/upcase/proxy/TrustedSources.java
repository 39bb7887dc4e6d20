package upcase.proxy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses allowed to send a PROXY header ({@code --proxy-trusted CIDR[,CIDR...]}): the load
 * balancers. A header from anywhere else is never believed, or anyone could forge their address
 * into logs and limits.
 */
public record TrustedSources(List<Cidr> blocks) {
    public TrustedSources {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted CIDR block is needed");
        }
    }

    /**
     * Parses a comma-separated list, such as {@code 10.0.0.0/8,::1}.
     *
     * @throws IllegalArgumentException with a one-line reason naming the bad entry
     */
    public static TrustedSources parse(String list) {
        List<Cidr> blocks = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            if (entry.isBlank()) {
                throw new IllegalArgumentException("empty entry in CIDR list '" + list + "'");
            }
            blocks.add(Cidr.parse(entry));
        }
        return new TrustedSources(blocks);
    }

    /** Whether a connection from {@code address} may send a PROXY header. */
    public boolean contains(InetAddress address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", blocks.stream().map(Cidr::toString).toList());
    }
}
