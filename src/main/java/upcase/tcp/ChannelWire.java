package upcase.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import upcase.net.SocketAddresses;

/** The NIO engine's {@link Wire}: a non-blocking SocketChannel and its key in the loop's selector. */
final class ChannelWire implements Wire {
    private final SocketChannel channel;
    /** As at the accept: the channel no longer gives it once closed, and log lines ask after that. */
    private final InetSocketAddress remote;
    /** Null until {@link SelectorPoller#register}: a connection refused at its accept never has one. */
    private SelectionKey key;

    /** {@code channel}: just accepted, so open and connected. */
    ChannelWire(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.getRemoteAddress(); // the channel's own object: nothing allocated
    }

    SocketChannel channel() {
        return channel;
    }

    void registered(SelectionKey key) {
        this.key = key;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void resetOnClose() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        EventLoop.closeQuietly(channel);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Cached by the channel since accept, so no system call. */
    @Override
    public String local() {
        try {
            return SocketAddresses.format((InetSocketAddress) channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            return "a closed socket";
        }
    }

    @Override
    public void interestRead() {
        key.interestOps(SelectionKey.OP_READ);
    }

    @Override
    public void interestWrite() {
        key.interestOps(SelectionKey.OP_WRITE);
    }

    @Override
    public void interestNone() {
        key.interestOps(0);
    }
}
