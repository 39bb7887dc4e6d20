package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import upcase.bench.ConnectionLoop.Conn;

/**
 * The NIO engine of a {@link ConnectionLoop}: SocketChannels on the load thread's selector. The
 * only engine for TLS (TlsChannel runs SSLEngine over a SocketChannel) and on systems without epoll.
 */
final class NioConnections implements ConnectionIo {
    private final Selector selector;

    NioConnections(Selector selector) {
        this.selector = selector;
    }

    @Override
    public void start() {
        // Nothing: the selector is the loop's, opened with it.
    }

    @Override
    public String label() {
        return "nio";
    }

    /** Direct: the JDK copies a heap buffer into a direct one of its own on every read and write. */
    @Override
    public ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes);
    }

    @Override
    public boolean connect(Conn c, InetSocketAddress target) throws IOException {
        c.channel = SocketChannel.open();
        c.channel.configureBlocking(false);
        c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (c.channel.connect(target)) {
            c.key = c.channel.register(selector, 0, c);
            return true;
        }
        c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
        return false;
    }

    @Override
    public boolean finishConnect(Conn c) throws IOException {
        return c.channel.finishConnect();
    }

    @Override
    public int read(Conn c, ByteBuffer dst) throws IOException {
        return c.channel.read(dst);
    }

    @Override
    public int write(Conn c, ByteBuffer src) throws IOException {
        return c.channel.write(src);
    }

    @Override
    public void interest(Conn c, int interest) {
        int ops = ((interest & READ) != 0 ? SelectionKey.OP_READ : 0)
                | ((interest & WRITE) != 0 ? SelectionKey.OP_WRITE : 0)
                | ((interest & CONNECT) != 0 ? SelectionKey.OP_CONNECT : 0);
        c.key.interestOps(ops);
    }

    @Override
    public void await(long deadline, Ready handler) throws IOException {
        Loop.select(selector, deadline, key -> ready(key, handler));
    }

    /** A key cancelled earlier in the same batch (its connection closed) reports nothing. */
    private static void ready(SelectionKey key, Ready handler) {
        if (key.isValid()) {
            int ops = key.readyOps();
            handler.ready((Conn) key.attachment(), (ops & SelectionKey.OP_READ) != 0,
                    (ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close(Conn c) {
        if (c.key != null) {
            c.key.cancel();
            c.key = null;
        }
        if (c.channel != null) {
            try {
                c.channel.close();
            } catch (IOException e) {
                // closing is all that was left to do
            }
            c.channel = null;
        }
    }

    @Override
    public void close() {
        // The selector is the loop's: Loop#run closes it.
    }
}
