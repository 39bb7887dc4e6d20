package upcase.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import upcase.support.Eventually;
import upcase.support.Tool;

/**
 * A real load balancer from Debian's packages (HAProxy, nginx's stream module) as a child process,
 * with a configuration written into a temporary directory, listening on 127.0.0.1 and forwarding
 * to an upcase server with a PROXY protocol header. Skips the test where the program is missing.
 * Closing it stops it by PID.
 */
final class Balancer implements AutoCloseable {
    private static final Path NGINX_STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private final Process process;
    private final Path log;
    private final int port;

    private Balancer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * HAProxy in TCP mode with {@code serverOptions} on its one server line, such as
     * {@code send-proxy-v2 check inter 100ms}; {@code backendOptions} go into the backend section.
     */
    static Balancer haproxy(Path dir, int upstream, String serverOptions, String backendOptions) throws IOException {
        Path haproxy = Tool.require("haproxy", "haproxy");
        int port = freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                global
                    log stderr format raw local0 info
                defaults
                    mode tcp
                    log global
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    timeout check 5s
                frontend upcase_front
                    bind 127.0.0.1:%d
                    default_backend upcase_back
                backend upcase_back
                    %s
                    server upcase 127.0.0.1:%d %s
                """.formatted(port, backendOptions, upstream, serverOptions));
        return start(List.of(haproxy.toString(), "-f", config.toString(), "-db"), dir, port);
    }

    /** nginx's stream module, {@code proxy_protocol on} (v1, the only version nginx sends). */
    static Balancer nginx(Path dir, int upstream) throws IOException {
        Path nginx = Tool.require("nginx", "nginx");
        int port = freePort();
        Path config = dir.resolve("nginx.conf");
        // Debian builds the stream module as a loadable one (package libnginx-mod-stream).
        String load = Files.exists(NGINX_STREAM_MODULE) ? "load_module " + NGINX_STREAM_MODULE + ";" : "";
        Files.writeString(config, """
                %s
                daemon off;
                master_process off;
                error_log stderr info;
                pid %s;
                events {}
                stream {
                    server {
                        listen 127.0.0.1:%d;
                        proxy_pass 127.0.0.1:%d;
                        proxy_protocol on;
                    }
                }
                """.formatted(load, dir.resolve("nginx.pid"), port, upstream));
        // -e: the error log before the configuration is read, which would be /var/log/nginx otherwise.
        return start(List.of(nginx.toString(), "-p", dir.toString(), "-c", config.toString(), "-e", "stderr"), dir, port);
    }

    private static Balancer start(List<String> command, Path dir, int port) throws IOException {
        Path log = dir.resolve("balancer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Balancer balancer = new Balancer(process, log, port);
        try {
            Eventually.await(command.getFirst() + " listening on 127.0.0.1:" + port, Duration.ofSeconds(20), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(command.getFirst() + " exited: " + balancer.output());
                }
                return listening(port);
            });
        } catch (AssertionError e) {
            balancer.close();
            throw e;
        }
        return balancer;
    }

    /**
     * Whether the port is listening, from the kernel's socket table, without connecting: a
     * probing connection would be forwarded to upcase and appear in its log.
     */
    private static boolean listening(int port) {
        String suffix = String.format(":%04X", port);
        try {
            return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
                    .map(l -> l.trim().split("\\s+"))
                    .anyMatch(f -> f[1].endsWith(suffix) && f[3].equals("0A")); // 0A: LISTEN
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on 127.0.0.1 now; the balancer binds it a moment later (a race lost only to another binder). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** A client connection to the balancer from {@code source} (such as 127.0.0.2, another loopback address). */
    Socket connectFrom(String source) throws IOException {
        return ProxyClients.connectFrom(source, new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port));
    }

    /** What the balancer wrote (its log goes to stderr). */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.toHandle().destroy(); // SIGTERM: both stop at once
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
