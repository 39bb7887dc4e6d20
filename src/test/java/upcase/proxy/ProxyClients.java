package upcase.proxy;

import static upcase.support.Lines.readAll;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/** Client sockets for the PROXY tests: from a chosen loopback source, and one whole exchange. */
final class ProxyClients {
    private ProxyClients() {}

    /** Connected to {@code server} from {@code source} (127.0.0.2 is another loopback address), 10 s read timeout. */
    static Socket connectFrom(String source, InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.ofLiteral(source), 0));
        s.connect(server, 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /**
     * Sends {@code bytes}, half-closes, and returns everything the server sent before it closed;
     * a reset (the server closed with our bytes unread, as a refusal does) ends it too.
     */
    static byte[] exchange(Socket s, byte[] bytes) throws IOException {
        try {
            s.getOutputStream().write(bytes);
            s.shutdownOutput();
            return readAll(s.getInputStream());
        } catch (SocketException reset) {
            return new byte[0];
        }
    }
}
