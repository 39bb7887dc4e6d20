package upcase.cli;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/** What the server commands share: start, announce, wait for a signal, drain, summarize. */
final class ServerRunner {
    interface Starter {
        Service start() throws IOException;
    }

    private ServerRunner() {}

    static int run(Io io, boolean verbose, LogFormat logFormat, List<Starter> starters)
            throws IOException, InterruptedException {
        LogSetup.ServerLog log = LogSetup.configure(io.stderr(), verbose, logFormat);
        CompletableFuture<String> stop = new CompletableFuture<>();
        ShutdownSignal.install(stop); // before binding: a signal during start-up is not lost
        List<Service> services = new ArrayList<>();
        try {
            for (Starter starter : starters) {
                Service service = start(starter, log, logFormat);
                if (service == null) {
                    return Main.FAILURE;
                }
                services.add(service);
                String local = SocketAddresses.format(service.localAddress());
                log.log(Level.INFO, LogEvent.of(Event.LISTENING, service.protocol() + " listening on " + local,
                        field("protocol", service.protocol()), field("local", local)));
                service.broken().thenAccept(e -> stop.complete(service.protocol() + " listener broke"));
            }
            String reason = stop.get();
            log.log(Level.INFO, LogEvent.of(Event.STOPPING, reason + ": stopping", field("reason", reason)));
            return reason.startsWith("SIG") ? Main.OK : Main.FAILURE;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            for (Service service : services.reversed()) {
                service.close();
            }
            if (!services.isEmpty()) {
                List<LogEvent.Field> counts = new ArrayList<>();
                services.forEach(s -> counts.addAll(s.summaryFields()));
                log.log(Level.INFO, new LogEvent(Event.STOPPED,
                        "stopped: " + String.join("; ", services.stream().map(Service::summary).toList()), counts, null));
            }
        }
    }

    /**
     * In text, a failure to start is Main's one line, as it always was; in JSON it is an event
     * like every other line, so that a log pipeline sees why the process exited. Null then.
     */
    private static Service start(Starter starter, LogSetup.ServerLog log, LogFormat logFormat) throws IOException {
        if (logFormat == LogFormat.TEXT) {
            return starter.start();
        }
        try {
            return starter.start();
        } catch (IOException | RuntimeException e) {
            log.log(Level.SEVERE, LogEvent.of(Event.START_FAILED, Failures.describe(e)).causedBy(e));
            return null;
        }
    }
}
