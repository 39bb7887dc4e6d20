package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import upcase.bench.UdpLoad.Sock;

/**
 * How a {@link UdpLoad}'s sockets move datagrams and how the loop waits for them: one system call
 * per datagram on the JDK's DatagramChannels ({@link NioDatagrams}), or batches of them with
 * sendmmsg/recvmmsg and an epoll instance ({@link EpollDatagrams}). Everything else (tags,
 * checking, the window, timeouts, loss, latencies, counts) is the loop's and the same on both.
 *
 * <p>Threads: {@link #wakeup} from any thread; everything else on the load thread, {@link #start}
 * first and {@link #close()} last.
 */
interface DatagramIo {
    /** What {@link #outcome} says of datagram {@code k} of the last send. */
    int SENT = 0;
    /** The socket's send buffer is full: not sent, wait for writable. */
    int BLOCKED = 1;
    /** Not sent: an ICMP port unreachable came back for an earlier one (nothing listens there). */
    int REFUSED = 2;

    interface Ready {
        void ready(Sock s, boolean readable, boolean writable);
    }

    /** On the load thread, before anything else: native memory is confined to it. */
    void start();

    /** The engine's name for reports: {@code nio}, {@code epoll}. */
    String label();

    /** A socket connected to {@code target}, watched for reading. */
    void open(Sock s, InetSocketAddress target) throws IOException;

    /** The most datagrams one {@link #send} takes. */
    int batch();

    /** Room for datagram {@code k} of the next send, cleared: the caller fills it and flips it. */
    ByteBuffer outgoing(int k);

    /** Sends datagrams {@code 0..count-1} as filled; then {@link #outcome} tells each one's fate. */
    void send(Sock s, int count) throws IOException;

    int outcome(int k);

    /** Takes the replies queued for {@code s}, as many as one call may: how many, 0 when none. */
    int receive(Sock s) throws IOException;

    /** Reply {@code k} of the last receive, position 0 to its length. */
    ByteBuffer incoming(int k);

    /** Whether the socket is also watched for writable; a change that changes nothing costs nothing. */
    void wantWrite(Sock s, boolean want);

    /** Waits until {@code deadline} (System.nanoTime) or a {@link #wakeup}, handing ready sockets to {@code handler}. */
    void await(long deadline, Ready handler) throws IOException;

    /** Any thread. */
    void wakeup();

    /** Closes the socket, once; later calls do nothing. */
    void close(Sock s);

    /** After every socket is closed: the engine's own descriptors and memory. */
    void close();
}
