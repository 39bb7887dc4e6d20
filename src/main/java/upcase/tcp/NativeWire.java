package upcase.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import upcase.nativeio.Epoll;
import upcase.nativeio.StreamSockets;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/**
 * The epoll engine's {@link Wire}: a descriptor, its token in the loop's table, its interest as
 * registered (so a change that changes nothing costs no system call). The buffers given are the
 * loop's heap arrays (ByteBuffer.wrap); the bytes pass through the loop's native buffer.
 *
 * <p>The descriptor is closed once, by {@link #close} on the loop thread, before its slot is
 * freed, and without an EPOLL_CTL_DEL first: no other descriptor refers to its socket (it is
 * never dup'ed, and close-on-exec keeps it out of any child's exec), so the close drops its
 * last reference and the kernel removes the registration with it. An event of it already in the
 * current batch, or one reported in the instant a spawning child still held a copy before its
 * exec, carries the old token: its slot is free or of a newer generation
 * (EpollPoller#live), so it never reaches the connection that gets the number next,
 * which the kernel registers afresh (epoll keys on the open file, not on the number).
 */
final class NativeWire implements Wire {
    private final EpollPoller poller;
    private final int fd;
    /**
     * The client, packed (StreamSockets#peerIpv4) when it is IPv4: 8 bytes here instead of
     * the 96 of an InetSocketAddress and what it holds, for every idle connection
     * (docs/PERFORMANCE.md); the object is built when a log line or the PROXY check asks.
     * -1 for an IPv6 client, which {@link #ipv6} holds.
     */
    private final long ipv4;
    private final InetSocketAddress ipv6;
    private Connection connection;
    private long token = -1;
    /** As registered: 0 (not registered: no hang-up or error can spin the loop), Epoll.IN or Epoll.OUT. */
    private int interest;
    private boolean closed;
    private String local;

    /** {@code ipv4}: the packed IPv4 client, or -1 and the IPv6 one in {@code ipv6}. */
    NativeWire(EpollPoller poller, int fd, long ipv4, InetSocketAddress ipv6) {
        this.poller = poller;
        this.fd = fd;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    void registered(Connection c, long token) {
        this.connection = c;
        this.token = token;
    }

    Connection connection() {
        return connection;
    }

    long token() {
        return token;
    }

    int interest() {
        return interest;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = poller.sockets().read(fd, dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = poller.sockets().write(fd, src.array(), src.arrayOffset() + src.position(), src.remaining());
        src.position(src.position() + n);
        return n;
    }

    @Override
    public void shutdownOutput() throws IOException {
        poller.sockets().shutdownOutput(fd);
    }

    @Override
    public void resetOnClose() throws IOException {
        poller.sockets().resetOnClose(fd);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        interest = 0;
        poller.sockets().close(fd); // and with it the epoll registration (see the class comment)
        if (token >= 0) {
            poller.released(token);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return ipv6 != null ? ipv6 : StreamSockets.unpackIpv4(ipv4);
    }

    /** Asked for log events only, so fetched then and kept (a closed descriptor has none). */
    @Override
    public String local() {
        if (local == null) {
            local = closed ? null : localOf(poller.sockets(), fd);
        }
        return local == null ? "a closed socket" : local;
    }

    /** A native connection's own address, formatted for a log event; null when it has none any more. */
    static String localOf(StreamSockets sockets, int fd) {
        try {
            return SocketAddresses.format(sockets.localAddress(fd));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void interestRead() {
        interest(Epoll.IN);
    }

    @Override
    public void interestWrite() {
        interest(Epoll.OUT);
    }

    @Override
    public void interestNone() {
        interest(0);
    }

    /**
     * No interest is no registration: epoll reports a hang-up or an error whatever the interest,
     * and level-triggered that would wake the loop again and again for a connection parked on a
     * delayed reply or a TLS task. (The JDK's selector removes such a descriptor too.)
     */
    private void interest(int wanted) {
        if (wanted == interest || closed) {
            return;
        }
        try {
            if (wanted == 0) {
                poller.epoll().remove(fd);
            } else if (interest == 0) {
                poller.epoll().add(fd, wanted, token);
            } else {
                poller.epoll().modify(fd, wanted, token);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        interest = wanted;
    }

    @Override
    public String toString() {
        return "fd " + fd + " from " + SocketAddresses.format(remoteAddress());
    }
}
