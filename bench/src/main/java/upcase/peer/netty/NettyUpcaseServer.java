package upcase.peer.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.File;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The Netty peer of bench/compare.sh: an uppercase server over TCP (lines) and UDP (datagrams),
 * written the way Netty is used for speed: a native transport (epoll, or io_uring with
 * {@code --transport io_uring}), pooled direct buffers,
 * {@link LineBasedFrameDecoder}, a flush per read burst, batched datagram reads and writes.
 *
 * <pre>
 * java -jar upcase-netty-peer.jar --tcp-port P --udp-port Q [--ascii] [--bind ADDR] [--transport epoll|io_uring]
 *                                 [--boss-threads N] [--worker-threads N]
 *                                 [--tls-cert FILE --tls-key FILE]
 * </pre>
 *
 * With {@code --tls-cert} and {@code --tls-key} (PEM; the key PKCS#8, which Netty reads without
 * BouncyCastle) the TCP listener speaks TLS 1.3 and 1.2 through the JDK's provider (not
 * OpenSSL/BoringSSL): the same TLS implementation upcase uses, so a comparison measures the
 * servers, not the TLS libraries. Netty runs the engine's delegated tasks on the event loop
 * (its default).
 *
 * {@code --transport} (default epoll): where the transport is not available (an old kernel, io_uring
 * switched off by {@code kernel.io_uring_disabled} or a seccomp filter) the peer says why in one
 * line and exits 1, rather than measure another transport under its name.
 *
 * Port 0 picks a free port. Prints {@code netty: tcp listening on ADDR:PORT} and {@code netty:
 * udp listening on ADDR:PORT} to stderr once bound (the shape of upcase's own lines), then serves
 * until killed. Threads: {@code --boss-threads} (default 1) accept TCP connections; 0 accepts on
 * the worker loops. {@code --worker-threads} (default: the CPUs this process may run on) serve
 * connections; the UDP socket is served by one of them.
 */
public final class NettyUpcaseServer {
    /** A line longer than this closes its connection (the benchmark's lines are far shorter). */
    static final int MAX_LINE = 1 << 20;
    /** The same kernel socket buffers and accept backlog as upcase's servers. */
    static final int UDP_SOCKET_BUFFER = 4 << 20;
    static final int BACKLOG = 65_535;
    /** Datagrams read by one recvmmsg call. */
    static final int DATAGRAMS_PER_READ = 16;
    static final int DATAGRAM_SLOT = 65_535;

    private NettyUpcaseServer() {
    }

    record Options(InetAddress bind, int tcpPort, int udpPort, boolean ascii, int bossThreads, int workerThreads,
            File tlsCert, File tlsKey, Transport transport) {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Sampling leak detection costs a little on every allocation; a production server
            // (and this benchmark peer) runs without it.
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        if (System.getProperty("io.netty.noUnsafe") == null && System.getProperty("sun.misc.unsafe.memory.access") == null) {
            // Netty 4.2 turns sun.misc.Unsafe off by default on Java 25+ and falls back to slower
            // direct-buffer access; Netty at its fastest uses it. (The JVM flag
            // --sun-misc-unsafe-memory-access=allow, which compare.sh passes, also silences the
            // JVM's warning.)
            System.setProperty("io.netty.noUnsafe", "false");
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException | UnknownHostException e) {
            System.err.println("netty: " + e.getMessage());
            System.err.println("usage: java -jar upcase-netty-peer.jar --tcp-port P --udp-port Q [--ascii] [--bind ADDR]"
                    + " [--boss-threads N] [--worker-threads N] [--tls-cert FILE --tls-key FILE]"
                    + " [--transport epoll|io_uring]");
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(Options options) throws InterruptedException {
        Transport transport = options.transport();
        String unavailable = transport.unavailable();
        if (unavailable != null) {
            System.err.println("netty: " + unavailable);
            return 1;
        }
        UpperCase transform = new UpperCase(options.ascii());
        SslContext tls;
        try {
            tls = options.tlsCert() == null ? null : tls(options.tlsCert(), options.tlsKey());
        } catch (SSLException | IllegalArgumentException e) {
            System.err.println("netty: tls: " + e.getMessage());
            return 1;
        }
        ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.workerThreads(), transport.ioHandlerFactory());
        EventLoopGroup boss = options.bossThreads() == 0
                ? workers
                : new MultiThreadIoEventLoopGroup(options.bossThreads(), transport.ioHandlerFactory());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }, "netty-shutdown"));
        try {
            LineHandler lines = new LineHandler(transform);
            Channel tcp = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel)
                    .option(ChannelOption.SO_BACKLOG, BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.ALLOCATOR, allocator)
                    .childOption(ChannelOption.ALLOCATOR, allocator)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, false, false), lines);
                        }
                    })
                    .bind(options.bind(), options.tcpPort()).sync().channel();
            System.err.println("netty: transport " + transport.label());
            System.err.println("netty: " + (tls == null ? "tcp" : "tls") + " listening on "
                    + format((InetSocketAddress) tcp.localAddress()));

            Channel udp = new Bootstrap()
                    .group(workers)
                    .channel(transport.datagramChannel)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.ALLOCATOR, allocator)
                    .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER)
                    .option(ChannelOption.SO_SNDBUF, UDP_SOCKET_BUFFER)
                    // Up to 16 datagrams per read (epoll: one recvmmsg; io_uring: 16 receives
                    // in flight), each in its own 64 KiB slot of one pooled buffer, so no
                    // datagram is ever cut.
                    .option(transport.maxDatagramPayload, DATAGRAM_SLOT)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(DATAGRAM_SLOT * DATAGRAMS_PER_READ))
                    .handler(new DatagramHandler(transform))
                    .bind(options.bind(), options.udpPort()).sync().channel();
            System.err.println("netty: udp listening on " + format((InetSocketAddress) udp.localAddress()));
            if (!PlatformDependent.hasUnsafe() || !PlatformDependent.directBufferPreferred()) {
                System.err.println("netty: note: running without sun.misc.Unsafe direct buffers ("
                        + PlatformDependent.getUnsafeUnavailabilityCause() + ")");
            }

            tcp.closeFuture().sync();
            udp.closeFuture().sync();
            return 0;
        } catch (Exception e) {
            System.err.println("netty: " + e);
            return 1;
        } finally {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** A server context on the JDK's TLS provider, TLS 1.3 and 1.2 only, as upcase's. */
    static SslContext tls(File certificate, File key) throws SSLException {
        return SslContextBuilder.forServer(certificate, key)
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }

    static Options parse(String[] args) throws UnknownHostException {
        InetAddress bind = InetAddress.getByName("127.0.0.1");
        Integer tcpPort = null;
        Integer udpPort = null;
        boolean ascii = false;
        int boss = 1;
        int workers = Runtime.getRuntime().availableProcessors();
        File tlsCert = null;
        File tlsKey = null;
        Transport transport = Transport.EPOLL;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--ascii" -> ascii = true;
                case "--tcp-port" -> tcpPort = port(arg, value(args, ++i, arg));
                case "--udp-port" -> udpPort = port(arg, value(args, ++i, arg));
                case "--bind" -> bind = InetAddress.getByName(value(args, ++i, arg));
                case "--boss-threads" -> boss = count(arg, value(args, ++i, arg), 0);
                case "--worker-threads" -> workers = count(arg, value(args, ++i, arg), 1);
                case "--tls-cert" -> tlsCert = new File(value(args, ++i, arg));
                case "--tls-key" -> tlsKey = new File(value(args, ++i, arg));
                case "--transport" -> transport = Transport.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (tcpPort == null || udpPort == null) {
            throw new IllegalArgumentException("--tcp-port and --udp-port are required");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return new Options(bind, tcpPort, udpPort, ascii, boss, workers, tlsCert, tlsKey, transport);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String option, String value) {
        int port = count(option, value, 0);
        if (port > 65_535) {
            throw new IllegalArgumentException(option + ": port out of range: " + value);
        }
        return port;
    }

    private static int count(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n < min) {
                throw new IllegalArgumentException(option + ": at least " + min + ": " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
