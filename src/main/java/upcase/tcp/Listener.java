package upcase.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One of a server's listening sockets; every event loop registers each one, and {@link #tls}
 * says which kind a new connection came in on. Its kind is its engine's.
 */
sealed interface Listener permits ChannelListener, NativeListener {
    InetSocketAddress local();

    /** Whether connections on it start with a TLS handshake. */
    boolean tls();

    /** From the thread that stops the server, after every loop stopped accepting from it. */
    void close() throws IOException;
}
