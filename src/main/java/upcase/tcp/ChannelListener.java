package upcase.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** The NIO engine's listening socket. */
record ChannelListener(ServerSocketChannel channel, InetSocketAddress local, boolean tls) implements Listener {
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
