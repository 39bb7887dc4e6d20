package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
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
 * <p>The descriptor is closed once, by {@link #close} on the loop thread, after its epoll
 * registration is removed and before its slot is freed: no event and no call can reach the
 * number once the kernel may reuse it.
 */
final class NativeWire implements Wire {
    private static final Logger LOG = System.getLogger("upcase.tcp");

    private final EpollPoller poller;
    private final int fd;
    private final InetSocketAddress remote;
    private Connection connection;
    private long token = -1;
    /** As registered: 0 (not registered: no hang-up or error can spin the loop), Epoll.IN or Epoll.OUT. */
    private int interest;
    private boolean closed;
    private String local;

    NativeWire(EpollPoller poller, int fd, InetSocketAddress remote) {
        this.poller = poller;
        this.fd = fd;
        this.remote = remote;
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
        if (interest != 0) {
            interest = 0;
            try {
                poller.epoll().remove(fd);
            } catch (IOException e) {
                // The close below removes it as well (the descriptor's last reference goes).
                LogEvent.of(Event.CLOSE_FAILED, "epoll_ctl DEL failed: " + e.getMessage(),
                        field("what", "connection"), field("detail", e.getMessage())).log(LOG, Level.DEBUG);
            }
        }
        poller.sockets().close(fd);
        if (token >= 0) {
            poller.released(token);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
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
        return "fd " + fd + " from " + SocketAddresses.format(remote);
    }
}
