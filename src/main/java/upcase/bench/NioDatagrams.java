package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import upcase.bench.UdpLoad.Sock;

/** The NIO engine of a {@link UdpLoad}: connected DatagramChannels on the load thread's selector, a datagram per call. */
final class NioDatagrams implements DatagramIo {
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65_536);
    private final ByteBuffer writeBuffer;
    private int outcome;

    NioDatagrams(Selector selector, int size) {
        this.selector = selector;
        this.writeBuffer = ByteBuffer.allocateDirect(size);
    }

    @Override
    public void start() {
        // Nothing: the selector is the loop's, opened with it.
    }

    @Override
    public String label() {
        return "nio";
    }

    @Override
    public void open(Sock s, InetSocketAddress target) throws IOException {
        s.channel = DatagramChannel.open();
        s.channel.setOption(StandardSocketOptions.SO_RCVBUF, UdpLoad.SOCKET_BUFFER);
        s.channel.setOption(StandardSocketOptions.SO_SNDBUF, UdpLoad.SOCKET_BUFFER);
        s.channel.connect(target);
        s.channel.configureBlocking(false);
        s.key = s.channel.register(selector, SelectionKey.OP_READ, s);
    }

    @Override
    public int batch() {
        return 1;
    }

    @Override
    public ByteBuffer outgoing(int k) {
        return writeBuffer.clear();
    }

    @Override
    public void send(Sock s, int count) throws IOException {
        try {
            outcome = s.channel.write(writeBuffer) == 0 ? BLOCKED : SENT;
        } catch (PortUnreachableException e) {
            outcome = REFUSED;
        }
    }

    @Override
    public int outcome(int k) {
        return outcome;
    }

    @Override
    public int receive(Sock s) throws IOException {
        readBuffer.clear();
        if (s.channel.read(readBuffer) <= 0) {
            return 0;
        }
        readBuffer.flip();
        return 1;
    }

    @Override
    public ByteBuffer incoming(int k) {
        return readBuffer;
    }

    @Override
    public void wantWrite(Sock s, boolean want) {
        if (s.writeInterest != want) {
            s.writeInterest = want;
            s.key.interestOps(want ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    @Override
    public void await(long deadline, Ready handler) throws IOException {
        Loop.select(selector, deadline, key -> handler.ready((Sock) key.attachment(),
                key.isValid() && key.isReadable(), key.isValid() && key.isWritable()));
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close(Sock s) {
        if (s.key != null) {
            s.key.cancel();
        }
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException e) {
                // closing is all that was left to do
            }
        }
        s.channel = null;
        s.key = null;
    }

    @Override
    public void close() {
        // The selector is the loop's, closed by it.
    }
}
