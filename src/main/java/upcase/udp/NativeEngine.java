package upcase.udp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import upcase.nativeio.NativeDatagramSocket;
import upcase.nativeio.SystemCallException;
import upcase.net.Durations;
import upcase.net.Engine;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/**
 * Starts the native engine: {@code threads} sockets bound to one port with SO_REUSEPORT (the
 * kernel spreads sources over them by a hash of the source address and port, so one client's
 * datagrams stay in order on one thread), each served by a {@link NativeReplyLoop} (epoll) or
 * a {@link UringReplyLoop} (io_uring).
 */
final class NativeEngine {
    private static final Logger LOG = System.getLogger("upcase.udp");
    /** As the NIO engine asks: room for bursts while a thread is busy; Linux caps it at net.core.rmem_max / wmem_max. */
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private NativeEngine() {}

    /** @param engine {@link Engine#EPOLL} (recvmmsg/sendmmsg) or {@link Engine#IO_URING} (a ring per socket) */
    static UdpServer start(UdpServerConfig config, Engine engine) throws IOException {
        InetSocketAddress bind = config.bind();
        int threads = config.threads();
        // A wildcard socket receives for every local address, so each datagram must say which
        // one it came to, for the reply to leave from it (PROTOCOL.md §UDP).
        boolean packetInfo = bind.getAddress().isAnyLocalAddress();
        NativeDatagramSocket.Options options = new NativeDatagramSocket.Options(
                SOCKET_BUFFER_BYTES, threads > 1 || config.reusePort(), packetInfo);
        if (threads > 1 && !config.reusePort() && bind.getPort() != 0) {
            ensureNobodyListens(bind);
        }
        List<NativeDatagramSocket> sockets = new ArrayList<>();
        try {
            NativeDatagramSocket first;
            try {
                first = NativeDatagramSocket.bind(bind, options);
            } catch (SystemCallException e) {
                if (!e.call().equals("socket") || !bind.getAddress().isAnyLocalAddress()
                        || bind.getAddress() instanceof Inet4Address) {
                    throw UdpServer.bindFailure(bind, e.getMessage(), e);
                }
                // No IPv6 on this host: the wildcard still means every (IPv4) interface.
                bind = new InetSocketAddress(InetAddress.getByAddress(new byte[4]), bind.getPort());
                first = NativeDatagramSocket.bind(bind, options);
            }
            sockets.add(first);
            InetSocketAddress local = first.localAddress();
            // With port 0 the first socket's port is the one the others join.
            InetSocketAddress shared = new InetSocketAddress(bind.getAddress(), local.getPort());
            for (int i = 1; i < threads; i++) {
                try {
                    sockets.add(NativeDatagramSocket.bind(shared, options));
                } catch (SystemCallException e) {
                    throw UdpServer.bindFailure(shared, e.getMessage(), e);
                }
            }
            SourceRateLimit rateLimit = DatagramAnswerer.rateLimit(config);
            List<ServingLoop> loops = new ArrayList<>();
            for (NativeDatagramSocket socket : sockets) {
                loops.add(engine == Engine.IO_URING ? new UringReplyLoop(socket, packetInfo, config, local.getPort(), rateLimit)
                        : new NativeReplyLoop(socket, packetInfo, config, local.getPort(), rateLimit));
            }
            if (LOG.isLoggable(Level.DEBUG)) {
                String address = SocketAddresses.format(local);
                LogEvent.of(Event.SERVER_STARTED, "udp server on " + address + " (" + config.transform() + ", engine " + engine.label() + ", "
                                + threads + " sockets, batches of " + (engine == Engine.IO_URING ? UringReplyLoop.BUFFERS : NativeReplyLoop.BATCH)
                                + ", spin " + Durations.format(config.spin()) + ")",
                        field("protocol", "udp"), field("local", address), field("transform", config.transform().toString()),
                        field("engine", engine.label()), field("threads", threads)).log(LOG, Level.DEBUG);
            }
            return UdpServer.started(config, local, engine, loops);
        } catch (IOException | RuntimeException | Error e) {
            sockets.forEach(NativeDatagramSocket::close);
            throw e;
        }
    }

    /**
     * SO_REUSEPORT would let these sockets join a group another server of the same user already
     * holds on the port, sharing its traffic in silence. The port must be free, as on NIO: a
     * plain bind tells (no TIME_WAIT in UDP, so the port is free again at once after it).
     */
    private static void ensureNobodyListens(InetSocketAddress bind) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open(UdpServer.familyOf(bind))) {
            probe.bind(bind);
        } catch (IOException e) {
            throw UdpServer.bindFailure(bind, e.getMessage(), e);
        }
    }
}
