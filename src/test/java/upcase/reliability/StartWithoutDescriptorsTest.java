package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.support.Descriptors;
import upcase.support.Eventually;
import upcase.support.Lines;
import upcase.tcp.TcpServer;
import upcase.tcp.TcpServerConfig;
import upcase.text.UpperCase;
import upcase.udp.UdpServer;
import upcase.udp.UdpServerConfig;

/**
 * A server started with few descriptors left, every count from none to enough: its start opens a
 * listener, an eventfd, an epoll instance or an io_uring ring (the ring on the loop's own
 * thread), and whichever of them finds none left, the start either throws one IOException and
 * leaves nothing open, or returns a server that answers. Never a start line followed by a server
 * that cannot serve: that was io_uring's start before it waited for its loops' rings, and a ring
 * opened after the start returned was once counted as a leak by ProxyServerFuzzTest.
 */
@Isolated // takes every descriptor this JVM can open: nothing else may run meanwhile
class StartWithoutDescriptorsTest {
    /** More than any engine's start takes with one loop or one socket: listener, eventfd, epoll or ring, and spares. */
    private static final int ENOUGH = 8;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "tcp on {0}")
    @EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
    void aTcpServerStartsWholeOrFailsLeavingNothing(Engine engine) throws Exception {
        Engines.assumeRunnable(engine);
        TcpServerConfig config = TcpServerConfig.defaults(LOOPBACK).withEngine(engine).withEventLoops(1);
        List<String> failures = atEveryShortage("tcp on " + engine.label(), () -> TcpServer.start(config), server -> {
            try (Socket s = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
                s.setSoTimeout(5_000);
                s.getOutputStream().write(Lines.utf8("still serving\n"));
                assertThat(Lines.readExactly(s.getInputStream(), 14)).isEqualTo(Lines.utf8("STILL SERVING\n"));
            }
        });
        // listener, then epoll's instance and eventfd, or io_uring's eventfd and its ring (on the loop's thread)
        assertEveryDescriptorFailsTheStart(engine, failures, 3);
    }

    @ParameterizedTest(name = "udp on {0}")
    @EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
    void aUdpServerStartsWholeOrFailsLeavingNothing(Engine engine) throws Exception {
        Engines.assumeRunnable(engine);
        UdpServerConfig config = new UdpServerConfig(LOOPBACK, UpperCase.unicode()).withEngine(engine).withThreads(1);
        List<String> failures = atEveryShortage("udp on " + engine.label(), () -> UdpServer.start(config), server -> {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                s.setSoTimeout(5_000);
                byte[] request = "still serving".getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(request, request.length, server.localAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                s.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("STILL SERVING");
            }
        });
        // the socket, and io_uring's ring on the loop's thread
        assertEveryDescriptorFailsTheStart(engine, failures, engine == Engine.IO_URING ? 2 : 1);
    }

    /**
     * A native engine's start fails for want of each descriptor it opens, the last (io_uring's
     * ring, opened on the loop's thread) included: a start that returned before its loops had
     * their rings would serve at that shortage, and fail fewer times. At least: a descriptor some
     * other thread of this JVM took meanwhile shifts the count up, never down. NIO's count is the
     * JDK's (its selector's descriptors), not asserted.
     */
    private static void assertEveryDescriptorFailsTheStart(Engine engine, List<String> failures, int opened) {
        if (engine != Engine.NIO) {
            assertThat(failures).as("starts that failed").hasSizeGreaterThanOrEqualTo(opened);
        }
        if (engine == Engine.IO_URING) {
            assertThat(failures.getLast()).contains("engine io_uring");
        }
    }

    interface Start<S> {
        S start() throws IOException;
    }

    interface Serve<S> {
        void serve(S server) throws Exception;
    }

    /**
     * Starts a server with 0, 1, ... {@link #ENOUGH} descriptors left: each start fails with an
     * IOException of one line that says so, or serves; either way every descriptor comes back.
     * Returns the failures' messages; at least the first start fails and the last one serves.
     */
    private static <S extends AutoCloseable> List<String> atEveryShortage(String what, Start<S> start, Serve<S> serve) throws Exception {
        loadServerClasses();
        try (S warmUp = start.start()) {
            serve.serve(warmUp);
        }
        List<String> failures = new ArrayList<>();
        int served = 0;
        for (int left = 0; left <= ENOUGH; left++) {
            long before = Descriptors.open();
            S server = null;
            IOException failure = null;
            try (Hoard hoard = Hoard.allBut(left)) {
                try {
                    server = start.start();
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (server == null) {
                assertThat(failure.getMessage()).as("with %d left", left).doesNotContain("\n").startsWith("cannot ").contains("Too many open files");
                failures.add(left + " left: " + failure.getMessage());
            } else {
                try (S started = server) {
                    serve.serve(started);
                }
                served++;
            }
            Eventually.await("descriptors back to " + before + " after a start with " + left + " left", WAIT,
                    () -> Descriptors.open() <= before);
        }
        System.out.println(what + ", started without descriptors: " + failures + ", then " + served + " served");
        assertThat(failures).as("with no descriptor left").isNotEmpty().first().asString().startsWith("0 left");
        assertThat(served).as("with " + ENOUGH + " left").isPositive();
        return failures;
    }

    /**
     * Every class of the servers' packages, loaded now: loading one from a class directory opens
     * its file, which a process that has just started has descriptors for, but this JVM at its
     * limit has not (a failure path's class would fail with NoClassDefFoundError, not the start).
     */
    private static void loadServerClasses() throws Exception {
        Path root = Path.of(TcpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassLoader loader = TcpServer.class.getClassLoader();
        for (String pkg : List.of("upcase/net", "upcase/text", "upcase/tcp", "upcase/udp", "upcase/nativeio", "upcase/proxy")) {
            try (Stream<Path> files = Files.list(root.resolve(pkg))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    Class.forName(name, false, loader);
                }
            }
        }
    }

    /** Every descriptor this JVM can still open, held (on /dev/null) but {@code left} of them. */
    private record Hoard(List<FileChannel> files) implements AutoCloseable {
        static Hoard allBut(int left) throws IOException {
            List<FileChannel> files = new ArrayList<>();
            try {
                for (;;) {
                    files.add(FileChannel.open(Path.of("/dev/null")));
                }
            } catch (FileSystemException full) {
                // EMFILE: the process limit reached
            }
            for (int i = 0; i < left && !files.isEmpty(); i++) {
                files.removeLast().close();
            }
            return new Hoard(files);
        }

        @Override
        public void close() throws IOException {
            for (FileChannel f : files) {
                f.close();
            }
        }
    }
}
