package upcase.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import upcase.net.SocketAddresses;

/** Every try of a {@link UdpClient#request} went unanswered: lost, refused, or never sent back. */
public final class NoReplyException extends IOException {
    private final InetSocketAddress server;
    private final int tries;
    private final boolean portUnreachable;

    NoReplyException(InetSocketAddress server, int tries, boolean portUnreachable) {
        super("no reply from " + SocketAddresses.format(server) + " after " + tries + (tries == 1 ? " try" : " tries")
                + (portUnreachable ? " (port unreachable)" : ""));
        this.server = server;
        this.tries = tries;
        this.portUnreachable = portUnreachable;
    }

    public InetSocketAddress server() {
        return server;
    }

    /** How many datagrams were sent: retries + 1. */
    public int tries() {
        return tries;
    }

    /** Whether an ICMP port unreachable said that nothing listened on the server's port. */
    public boolean portUnreachable() {
        return portUnreachable;
    }
}
