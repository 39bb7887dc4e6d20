package upcase.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A PROXY protocol header (HAProxy's specification, v1 or v2): what a load balancer says about
 * the connection it forwards.
 *
 * @param version 1 (text) or 2 (binary)
 * @param command {@link Command#PROXY} for a forwarded connection, {@link Command#LOCAL} for one
 *        the balancer opened itself (a health check)
 * @param source the client's address, or null when the header gives none (LOCAL, v1
 *        {@code UNKNOWN}, v2 UNSPEC or a family/protocol upcase does not use): the
 *        connection's own peer address stands
 * @param destination the address the client connected to, null exactly when {@code source} is
 */
public record ProxyHeader(int version, Command command, InetSocketAddress source, InetSocketAddress destination) {

    /** What the header says the connection is. */
    public enum Command {
        /** Forwarded on behalf of a client (v1 always; v2 command 0x1). */
        PROXY,
        /** Opened by the balancer itself, such as a health check (v2 command 0x0). */
        LOCAL
    }

    public ProxyHeader {
        Objects.requireNonNull(command, "command");
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version must be 1 or 2, not " + version);
        }
        if ((source == null) != (destination == null)) {
            throw new IllegalArgumentException("source and destination are given together or not at all");
        }
        if (command == Command.LOCAL && source != null) {
            throw new IllegalArgumentException("a LOCAL header carries no addresses");
        }
    }

    /** The client's address: the header's source, or {@code peer} (the connection's) when it gives none. */
    public InetSocketAddress clientAddress(InetSocketAddress peer) {
        return source != null ? source : peer;
    }
}
