package upcase.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import upcase.support.Eventually;
import upcase.support.StderrLines;

/**
 * nginx or HAProxy as a child of the test, in the foreground, in the balancer host's namespace,
 * running the configuration under deploy/ as it is; its stderr (HAProxy's server state changes)
 * is watched line by line. Closing stops it and every process it forked, by PID.
 */
final class Balancer implements AutoCloseable {
    enum Kind { NGINX, HAPROXY }

    private final Kind kind;
    private final String name;
    private final Lan.Host host;
    private final Process process;
    private final StderrLines stderr;

    private Balancer(Kind kind, Lan.Host host, List<String> command) throws IOException {
        this.kind = kind;
        this.name = kind.name().toLowerCase(java.util.Locale.ROOT);
        this.host = host;
        this.process = new ProcessBuilder(host.exec(command.toArray(String[]::new))).start();
        this.stderr = new StderrLines(process.getErrorStream());
        process.getOutputStream().close();
    }

    /**
     * nginx with {@code streamConf} included at the top level of a main configuration written to
     * {@code dir}: foreground ({@code daemon off}), its pid file and logs in {@code dir}, and the
     * stream module loaded where Debian builds it as a module.
     */
    static Balancer nginx(Lan.Host host, Path nginx, Path dir, Path streamConf) throws IOException {
        Path module = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
        String main = (Files.exists(module) ? "load_module " + module + ";\n" : "")
                + "daemon off;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log stderr notice;\n"
                + "events {}\n"
                + "include " + streamConf.toAbsolutePath() + ";\n";
        Path conf = Files.writeString(dir.resolve("nginx.conf"), main);
        return new Balancer(Kind.NGINX, host, List.of(nginx.toString(), "-p", dir.toString(), "-c", conf.toString()));
    }

    /** HAProxy in the foreground ({@code -db}) with {@code cfg} as it is. */
    static Balancer haproxy(Lan.Host host, Path haproxy, Path cfg) throws IOException {
        return new Balancer(Kind.HAPROXY, host, List.of(haproxy.toString(), "-f", cfg.toAbsolutePath().toString(), "-db"));
    }

    /** Waits until the balancer listens on TCP {@code port} in its namespace (read with {@code ss}). */
    Balancer awaitListening(int port) {
        Eventually.await(name + " listening on " + port, Duration.ofSeconds(20), () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ": " + stderrSoFar());
            }
            try {
                return host.run("ss", "-Htln", "sport = :" + port).contains(":" + port);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        return this;
    }

    private String stderrSoFar() {
        try {
            return String.join("\n", stderr.all());
        } catch (InterruptedException | AssertionError e) {
            return "(stderr not readable: " + e.getMessage() + ")";
        }
    }

    Kind kind() {
        return kind;
    }

    /**
     * Waits until the balancer has noticed that {@code backend} is gone: HAProxy's health check
     * marks it DOWN; nginx, which has no active checks, logs its first refused connect (it then
     * tries the next server and leaves this one alone for fail_timeout).
     */
    void awaitTakenOut(String backend, Duration timeout) throws InterruptedException {
        stderr.awaitLine(switch (kind) {
            case HAPROXY -> "upcase_tcp/" + backend + " is DOWN";
            case NGINX -> "Connection refused) while connecting to upstream";
        }, timeout);
    }

    /**
     * Waits until HAProxy's check finds {@code backend} UP again. nginx logs no such event: it
     * simply tries the server again once fail_timeout has passed, so there is nothing to wait for.
     */
    void awaitTakenBackIn(String backend, Duration timeout) throws InterruptedException {
        if (kind == Kind.HAPROXY) {
            stderr.awaitLine("upcase_tcp/" + backend + " is UP", timeout);
        }
    }

    /**
     * SIGTERM to the master (nginx stops its workers; HAProxy stops), then SIGKILL to whatever of
     * it and its children is left. The children are listed first: once the master is gone they
     * are no longer its descendants.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
    }
}
