package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import upcase.bench.ConnectionLoop.Conn;

/**
 * How a {@link ConnectionLoop}'s connections move bytes and how the loop waits for them to be
 * ready: the JDK's selector ({@link NioConnections}) or an epoll instance with system calls
 * ({@link EpollConnections}). Everything else (lines, their checking, send times, latencies,
 * connect pacing and timeouts, the counts) is the loop's and the same on both.
 *
 * <p>Threads: {@link #wakeup} from any thread; everything else on the load thread, {@link #start}
 * first and {@link #close} last.
 */
interface ConnectionIo {
    /** No interest: nothing is reported for the connection (on epoll, no registration at all). */
    int NONE = 0;
    int READ = 1;
    int WRITE = 2;
    /** A connect under way: reported writable once it finished, either way. */
    int CONNECT = 4;

    /** What the loop does with a ready connection; {@code writable} includes a finished connect. */
    interface Ready {
        void ready(Conn c, boolean readable, boolean writable);
    }

    /** On the load thread, before anything else: native memory is confined to it. */
    void start();

    /** The engine's name for reports: {@code nio}, {@code epoll}. */
    String label();

    /** A buffer of {@code bytes} of the kind this engine reads and writes best. */
    ByteBuffer buffer(int bytes);

    /** Starts a non-blocking connect, interest {@link #CONNECT}; true if it finished at once (interest then {@link #NONE}). */
    boolean connect(Conn c, InetSocketAddress target) throws IOException;

    /** After a writable event while connecting: true once connected; throws the connect's failure. */
    boolean finishConnect(Conn c) throws IOException;

    /** Bytes into {@code dst}: how many, 0 when there are none yet, -1 at the end of the stream. */
    int read(Conn c, ByteBuffer dst) throws IOException;

    /** Bytes of {@code src}, as many as the kernel takes now. */
    int write(Conn c, ByteBuffer src) throws IOException;

    /** {@link #NONE}, {@link #READ}, {@link #READ} | {@link #WRITE} or {@link #CONNECT}; a change that changes nothing costs nothing. */
    void interest(Conn c, int interest);

    /** Waits until {@code deadline} (System.nanoTime) or a {@link #wakeup}, handing ready connections to {@code handler}. */
    void await(long deadline, Ready handler) throws IOException;

    /** Any thread. */
    void wakeup();

    /** Closes the connection's socket, once; later calls do nothing. */
    void close(Conn c);

    /** After every connection is closed: the engine's own descriptors and memory. */
    void close();
}
