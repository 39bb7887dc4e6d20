package upcase.launch;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import upcase.probe.Transport;

/**
 * Ports for a program under test: the kernel picks a free one (bind port 0), the socket closes,
 * the number is handed over. Between the close and the program's bind another process may take
 * it: a race the caller answers by trying once more with new ports when the program fails to bind.
 * Ports handed out by this JVM are not handed out again soon, so submissions graded side by side
 * never get the same one.
 */
final class FreePorts {
    private static final int ATTEMPTS = 50;
    private static final int REMEMBERED = 4096;
    private static final Set<Integer> handedOut = new LinkedHashSet<>();

    private FreePorts() {}

    /** A port for each transport of {@code template}; the same number for all with {@code {port}}. */
    static Map<Transport, Integer> pick(CommandTemplate template) throws IOException {
        Map<Transport, Integer> ports = new EnumMap<>(Transport.class);
        if (template.sharedPort()) {
            int port = shared();
            template.transports().forEach(t -> ports.put(t, port));
        } else {
            for (Transport t : template.transports()) {
                ports.put(t, single(t));
            }
        }
        return ports;
    }

    private static int single(Transport transport) throws IOException {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = transport == Transport.TCP ? tcpPort(0) : udpPort(0);
            if (remember(port)) {
                return port;
            }
        }
        throw new IOException("no free " + transport.id() + " port found in " + ATTEMPTS + " tries");
    }

    /** A port free for TCP and for UDP at once: the TCP one the kernel picks, if UDP's is free too. */
    private static int shared() throws IOException {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = tcpPort(0);
            try {
                udpPort(port);
            } catch (IOException taken) {
                continue;
            }
            if (remember(port)) {
                return port;
            }
        }
        throw new IOException("no port free for both TCP and UDP found in " + ATTEMPTS + " tries");
    }

    private static synchronized boolean remember(int port) {
        if (!handedOut.add(port)) {
            return false;
        }
        if (handedOut.size() > REMEMBERED) {
            handedOut.remove(handedOut.iterator().next());
        }
        return true;
    }

    /** Binds the wildcard address (what a program's bind(('', port)) takes), without SO_REUSEADDR. */
    private static int tcpPort(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return s.getLocalPort();
        }
    }

    private static int udpPort(int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return s.getLocalPort();
        }
    }
}
