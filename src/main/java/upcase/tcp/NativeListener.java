package upcase.tcp;

import java.net.InetSocketAddress;
import upcase.nativeio.NativeListenSocket;

/** The native engines' listening socket (epoll's and io_uring's). */
record NativeListener(NativeListenSocket socket, InetSocketAddress local, boolean tls) implements Listener {
    @Override
    public void close() {
        socket.close();
    }
}
