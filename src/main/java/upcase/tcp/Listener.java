package upcase.tcp;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * One of a server's listening sockets; every event loop registers each one, and the selection
 * key's attachment says which kind a new connection came in on.
 *
 * @param tls whether connections on it start with a TLS handshake
 */
record Listener(ServerSocketChannel channel, InetSocketAddress local, boolean tls) {}
