package upcase.tcp;

import java.net.InetSocketAddress;
import upcase.nativeio.NativeListenSocket;

/** The epoll engine's listening socket. */
record NativeListener(NativeListenSocket socket, InetSocketAddress local, boolean tls) implements Listener {
    @Override
    public void close() {
        socket.close();
    }
}
