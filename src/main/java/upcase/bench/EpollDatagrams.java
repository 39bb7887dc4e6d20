package upcase.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.List;
import upcase.bench.UdpLoad.Sock;
import upcase.nativeio.DatagramBatch;
import upcase.nativeio.Epoll;
import upcase.nativeio.NativeDatagramSocket;
import upcase.nativeio.SystemCallException;

/**
 * The epoll engine of a {@link UdpLoad}: connected non-blocking native datagram sockets, a
 * socket's window of datagrams sent with one sendmmsg and its replies taken with one recvmmsg
 * (up to {@link DatagramBatch#slots()}), readiness from an epoll instance of the load thread's own.
 *
 * <p>One {@link DatagramBatch} per load thread serves every send and receive: the loop handles
 * one socket at a time, and a send's payloads are in the kernel once sendmmsg returns, so the
 * next receive may overwrite them. Tokens are a socket's place in the loop's list, never a
 * descriptor; a socket closed earlier in an event batch has no {@link Sock#socket} and its
 * events are dropped.
 *
 * <p>Memory: the batch and the event array are in a confined arena that {@link #start} opens on
 * the load thread and {@link #close()} closes there.
 */
final class EpollDatagrams implements DatagramIo {
    /** Events per epoll_wait: more than a load thread's sockets in any run this machine can hold. */
    private static final int EVENTS = 1_024;
    /** Replies per recvmmsg at least (a socket has at most its depth in flight, plus late ones). */
    private static final int MIN_SLOTS = 64;

    private final List<Sock> socks;
    private final int size;
    private final int slots;
    private final Epoll epoll;
    private Arena arena;
    private DatagramBatch batch;
    /** Views of the batch's payload slots, made once. */
    private ByteBuffer[] views;

    /** Any thread; {@code size}: every datagram's length. */
    EpollDatagrams(List<Sock> socks, int size, int depth) throws IOException {
        this.socks = socks;
        this.size = size;
        this.slots = Math.max(depth, MIN_SLOTS);
        this.epoll = Epoll.open();
    }

    @Override
    public void start() {
        arena = Arena.ofConfined();
        epoll.enter(arena, EVENTS);
        // One byte of room more than a datagram: a longer reply shows as longer, not as cut to size.
        batch = new DatagramBatch(arena, slots, size + 1, false);
        views = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            views[i] = batch.payload(i);
        }
    }

    @Override
    public String label() {
        return "epoll";
    }

    @Override
    public void open(Sock s, InetSocketAddress target) throws IOException {
        s.socket = NativeDatagramSocket.connect(target, new NativeDatagramSocket.Options(UdpLoad.SOCKET_BUFFER, false, false));
        s.socket.watch(epoll, true, Epoll.IN, s.unit);
    }

    @Override
    public int batch() {
        return slots;
    }

    @Override
    public ByteBuffer outgoing(int k) {
        return views[k].clear();
    }

    @Override
    public void send(Sock s, int count) throws IOException {
        batch.clearQueue();
        for (int k = 0; k < count; k++) {
            batch.queueDatagram(k, size);
        }
        s.socket.send(batch);
    }

    @Override
    public int outcome(int k) {
        int errno = batch.replyErrno(k);
        if (errno == 0) {
            return SENT;
        }
        return SystemCallException.portUnreachable(errno) ? REFUSED : BLOCKED;
    }

    @Override
    public int receive(Sock s) throws IOException {
        try {
            return s.socket.receive(batch);
        } catch (SystemCallException e) {
            if (SystemCallException.portUnreachable(e.errno())) {
                throw new PortUnreachableException(e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public ByteBuffer incoming(int k) {
        return views[k].clear().limit(batch.length(k));
    }

    @Override
    public void wantWrite(Sock s, boolean want) {
        if (s.writeInterest == want || s.socket == null) {
            return;
        }
        try {
            s.socket.watch(epoll, false, want ? Epoll.IN | Epoll.OUT : Epoll.IN, s.unit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.writeInterest = want;
    }

    @Override
    public void await(long deadline, Ready handler) throws IOException {
        EpollWait.await(epoll, deadline, socks.size(), (unit, ready) -> {
            Sock s = socks.get(unit);
            if (s.socket == null) {
                return; // closed earlier in this batch
            }
            // An error (a pending ICMP refusal) makes the socket readable: the receive reports it.
            boolean failed = (ready & (Epoll.ERR | Epoll.HUP)) != 0;
            handler.ready(s, failed || (ready & Epoll.IN) != 0, s.writeInterest && (ready & Epoll.OUT) != 0);
        });
    }

    @Override
    public void wakeup() {
        epoll.wake();
    }

    /** The close removes the registration with the descriptor's last reference; then forgotten. */
    @Override
    public void close(Sock s) {
        if (s.socket != null) {
            s.socket.close();
            s.socket = null;
        }
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
