package upcase.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent uppercase TLS server: {@code socat OPENSSL-LISTEN} on an ephemeral loopback port,
 * each connection piped through {@code tr a-z A-Z} (line-buffered by {@code stdbuf}, so a client
 * waiting for one reply gets it). socat prints the port it bound at {@code -d -d}. Skips the test
 * where socat is missing. Closing it stops socat and the children it forked, by PID.
 */
public final class SocatTlsServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on AF=2 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;

    private SocatTlsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param clientCa null to take any client; otherwise a client certificate signed by it is required
     */
    public static SocatTlsServer start(Path dir, Path certificate, Path key, Path clientCa) throws IOException {
        Path socat = Tool.require("socat", "socat");
        String listen = "OPENSSL-LISTEN:0,bind=127.0.0.1,reuseaddr,fork,cert=" + certificate + ",key=" + key
                + (clientCa == null ? ",verify=0" : ",verify=1,cafile=" + clientCa);
        Path log = Files.createTempFile(dir, "socat", ".log");
        List<String> command = new ArrayList<>(List.of(socat.toString(), "-d", "-d", listen, "SYSTEM:stdbuf -oL tr a-z A-Z"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int[] port = {0};
        try {
            Eventually.await("socat listening (" + log + ")", Duration.ofSeconds(20), () -> {
                Matcher m = LISTENING.matcher(read(log));
                if (m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("socat exited: " + read(log));
                }
                return false;
            });
        } catch (AssertionError e) {
            process.destroy();
            throw e;
        }
        return new SocatTlsServer(process, port[0]);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    public int port() {
        return port;
    }

    /**
     * Stops socat and every child it forked. The listener is stopped (SIGSTOP) before its children
     * are listed, so that it cannot fork one between the list and the kill: a child left behind
     * was seen spinning at 70% of a CPU after its client had gone, long after the test.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            stop.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the snapshot below may then miss a child forked meanwhile
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("socat's child " + child.pid() + " did not stop", e);
            }
        }
    }
}
