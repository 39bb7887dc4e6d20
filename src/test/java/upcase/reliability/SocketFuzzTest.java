package upcase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import upcase.net.Engine;
import upcase.support.Eventually;
import upcase.support.UpcaseProcess;
import upcase.text.UpperCase;

/**
 * Random bytes, random chunking, random half-closes and resets, from many concurrent clients,
 * against a server process: it stays up, every complete reply is exact, and its descriptors
 * come back to where they started. Runs {@code upcase.fuzz.seconds} (default 3; the
 * reliability profile runs 60).
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = Engine.class, names = {Engines.NIO, Engines.EPOLL, Engines.IO_URING})
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SocketFuzzTest {
    private static final int CLIENTS = 32;
    private static final String[] SAMPLES = {"a", "z", "ß", "ﬁ", "ΐ", "i", "ı", "中", "😀", "\n", "\r\n", " "};

    private final Engine engine;

    SocketFuzzTest(Engine engine) {
        Engines.assumeRunnable(engine);
        this.engine = engine;
    }

    @Test
    void theServerSurvivesAndAnswersExactly() throws Exception {
        long seconds = Long.getLong("upcase.fuzz.seconds", 3);
        long seed = Long.getLong("upcase.fuzz.seed", System.nanoTime());
        // A fixed, pre-touched heap: resident memory then grows only by what is not heap (code,
        // metaspace, native buffers), so a leak shows instead of the collector sizing its heap.
        try (UpcaseProcess server = Engines.start(engine, List.of(),
                List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"), "tcp-server", "--port", "0", "--bind", "127.0.0.1")) {
            int port = Engines.awaitListening(server, "tcp", engine);
            long descriptorsBefore = server.openDescriptors();
            long rssBefore = server.residentKib();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            AtomicLong verified = new AtomicLong();
            AtomicLong abandoned = new AtomicLong();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    SplittableRandom random = new SplittableRandom(seed + c);
                    running.add(clients.submit(() -> {
                        while (System.nanoTime() < deadline) {
                            if (exchange(port, random)) {
                                verified.incrementAndGet();
                            } else {
                                abandoned.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get(); // an AssertionError in a client fails the test here, with its seed
                }
            }
            assertThat(server.process().isAlive()).isTrue();
            assertThat(verified.get()).as("exchanges verified byte for byte (seed " + seed + ")").isPositive();
            Eventually.await("descriptors back to where they started", Duration.ofSeconds(30), () -> {
                try {
                    return server.openDescriptors() <= descriptorsBefore + 2;
                } catch (IOException e) {
                    return false;
                }
            });
            long rssGrowth = server.residentKib() - rssBefore;
            System.out.printf("fuzz: %ds, seed %d, %d exchanges verified, %d abandoned on purpose, rss +%d KiB%n",
                    seconds, seed, verified.get(), abandoned.get(), rssGrowth);
            assertThat(rssGrowth).as("resident memory growth beyond the fixed heap, KiB").isLessThan(96 * 1024);
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    /** One connection; returns true when a complete reply was checked, false when the client left on purpose. */
    private static boolean exchange(int port, SplittableRandom random) throws IOException, InterruptedException {
        byte[] request = randomBytes(random, random.nextInt(4) == 0 ? random.nextInt(200_000) : random.nextInt(2_000));
        int ending = random.nextInt(10); // 0-6: half-close and read all; 7-8: reset midway; 9: close midway
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    s.getInputStream().transferTo(reply);
                } catch (IOException e) {
                    // the client itself reset or closed midway
                }
            });
            OutputStream out = s.getOutputStream();
            int sent = 0;
            int stopAt = ending < 7 ? request.length : random.nextInt(request.length + 1);
            while (sent < stopAt) {
                int chunk = Math.min(stopAt - sent, 1 + random.nextInt(random.nextBoolean() ? 8 : 20_000));
                out.write(request, sent, chunk);
                sent += chunk;
            }
            if (ending >= 7) {
                if (ending < 9) {
                    s.setSoLinger(true, 0);
                }
                s.close();
                reader.join();
                return false;
            }
            s.shutdownOutput();
            reader.join();
            byte[] expected = UpperCase.unicode().apply(request);
            if (!Arrays.equals(reply.toByteArray(), expected)) {
                throw new AssertionError("reply differs for a request of " + request.length + " bytes: "
                        + reply.size() + " bytes back, " + expected.length + " expected");
            }
            return true;
        } catch (SocketException e) {
            throw new AssertionError("connection failed on a well-behaved exchange: " + e, e);
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(length + 8);
        while (b.size() < length) {
            switch (random.nextInt(4)) {
                case 0 -> b.write(random.nextInt(256)); // anything, often ill-formed
                case 1 -> b.writeBytes(SAMPLES[random.nextInt(SAMPLES.length)].getBytes(StandardCharsets.UTF_8));
                default -> b.write('a' + random.nextInt(26));
            }
        }
        return b.toByteArray();
    }
}
