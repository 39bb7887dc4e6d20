package upcase.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * How one connection's bytes move, whatever the engine: {@link ChannelWire} over the JDK's
 * SocketChannel and selector, {@link NativeWire} over a descriptor in an epoll loop. What the
 * connection does with them ({@link Connection}: carry, backpressure, half-close, linger, drain,
 * idle; {@link TlsWire}; {@link ProxyPreamble}) talks only to this. Touched only by the
 * connection's loop thread.
 *
 * <p>Interest: which readiness the loop reports for the connection. Read while it is served,
 * write while a reply waits for the kernel (and not read: the backpressure), none while a
 * delayed reply (--delay) or a TLS engine's delegated task holds it.
 */
interface Wire {
    /** Like SocketChannel#read into a heap buffer: the bytes added, 0 when none yet, -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Like SocketChannel#write from a heap buffer: the bytes the kernel took, maybe 0. */
    int write(ByteBuffer src) throws IOException;

    /** Our FIN: the client reads the end of the replies; reading goes on. */
    void shutdownOutput() throws IOException;

    /** SO_LINGER 0: the {@link #close} that follows sends a reset (--reset-after). */
    void resetOnClose() throws IOException;

    /** Removes the connection from its loop's poller, then closes the socket: once, quietly. */
    void close();

    /** The socket's peer: the client, or a balancer on a PROXY listener. Kept since the accept, so also after the close. */
    InetSocketAddress remoteAddress();

    /** The socket's own address, formatted for a log event; "a closed socket" once closed. */
    String local();

    void interestRead();

    void interestWrite();

    void interestNone();
}
