package upcase.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import upcase.bench.ConnectionLoop.Conn;
import upcase.nativeio.Epoll;
import upcase.nativeio.StreamSockets;

/**
 * The epoll engine of a {@link ConnectionLoop}: connect, recv and send as system calls
 * (upcase.nativeio), readiness from an epoll instance of the load thread's own, level-triggered
 * as the selector is, with up to {@link #EVENTS} events per wait rather than the selector's 1,024.
 *
 * <p>Tokens: an event carries its connection's place in the loop's list, never a descriptor. A
 * connection is connected at most once and its descriptor closed once ({@link #close(Conn)} sets
 * it to -1 after removing the registration), so an event of a batch for a connection closed
 * earlier in that batch finds -1 and is dropped: it never reaches a descriptor number the kernel
 * has since given to another socket. (The server needs slot generations for that because it
 * reuses slots; a load thread's list never changes.)
 *
 * <p>Memory: the event array and the system calls' buffers are in a confined arena that
 * {@link #start} opens on the load thread and {@link #close()} closes there.
 */
final class EpollConnections implements ConnectionIo {
    /** Events per epoll_wait: 12 bytes each, so 48 KiB of native memory per load thread. */
    static final int EVENTS = 4_096;

    private final List<Conn> conns;
    private final int ioBytes;
    private final Epoll epoll;
    private Arena arena;
    private StreamSockets sockets;

    /** {@code ioBytes}: the most one recv or send moves (the loop's buffer size). Any thread. */
    EpollConnections(List<Conn> conns, int ioBytes) throws IOException {
        this.conns = conns;
        this.ioBytes = ioBytes;
        this.epoll = Epoll.open();
    }

    @Override
    public void start() {
        arena = Arena.ofConfined();
        epoll.enter(arena, EVENTS);
        sockets = new StreamSockets(arena, ioBytes);
    }

    @Override
    public String label() {
        return "epoll";
    }

    /** Heap: the bytes are copied once between it and the arena's buffer by StreamSockets. */
    @Override
    public ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes);
    }

    @Override
    public boolean connect(Conn c, InetSocketAddress target) throws IOException {
        c.fd = sockets.connect(target);
        interest(c, CONNECT);
        return false; // writable when it is done, even at once: one path
    }

    @Override
    public boolean finishConnect(Conn c) throws IOException {
        sockets.finishConnect(c.fd);
        return true;
    }

    @Override
    public int read(Conn c, ByteBuffer dst) throws IOException {
        int n = sockets.read(c.fd, dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public int write(Conn c, ByteBuffer src) throws IOException {
        int n = sockets.write(c.fd, src.array(), src.arrayOffset() + src.position(), src.remaining());
        src.position(src.position() + n);
        return n;
    }

    /**
     * No interest is no registration: level-triggered epoll reports a hang-up or an error
     * whatever the interest, and would wake the loop again and again for a connection that
     * waits for the run to begin.
     */
    @Override
    public void interest(Conn c, int interest) {
        int wanted = ((interest & READ) != 0 ? Epoll.IN : 0) | ((interest & (WRITE | CONNECT)) != 0 ? Epoll.OUT : 0);
        if (wanted == c.registered || c.fd < 0) {
            return;
        }
        try {
            if (wanted == 0) {
                epoll.remove(c.fd);
            } else if (c.registered == 0) {
                epoll.add(c.fd, wanted, c.unit);
            } else {
                epoll.modify(c.fd, wanted, c.unit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        c.registered = wanted;
    }

    @Override
    public void await(long deadline, Ready handler) throws IOException {
        EpollWait.await(epoll, deadline, conns.size(), (unit, ready) -> {
            Conn c = conns.get(unit);
            if (c.fd < 0) {
                return; // closed earlier in this batch
            }
            // As the selector does: an error or hang-up makes every interest ready, so the read,
            // write or connect check that follows meets it.
            boolean failed = (ready & (Epoll.ERR | Epoll.HUP)) != 0;
            handler.ready(c, (c.registered & Epoll.IN) != 0 && (failed || (ready & Epoll.IN) != 0),
                    (c.registered & Epoll.OUT) != 0 && (failed || (ready & Epoll.OUT) != 0));
        });
    }

    @Override
    public void wakeup() {
        epoll.wake();
    }

    /** Registration removed, then the descriptor closed, then forgotten: never used after the close. */
    @Override
    public void close(Conn c) {
        if (c.fd < 0) {
            return;
        }
        if (c.registered != 0) {
            c.registered = 0;
            try {
                epoll.remove(c.fd);
            } catch (IOException e) {
                // the close below removes it as well: the descriptor's last reference goes
            }
        }
        sockets.close(c.fd);
        c.fd = -1;
    }

    @Override
    public void close() {
        epoll.close();
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }
}
