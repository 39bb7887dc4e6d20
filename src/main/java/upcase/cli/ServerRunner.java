package upcase.cli;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import upcase.metrics.MetricsServer;
import upcase.net.Durations;
import java.util.logging.Level;
import upcase.net.Event;
import upcase.net.LogEvent;
import upcase.net.SocketAddresses;

/**
 * What the server commands share: start, announce, wait for a signal, wait the drain delay,
 * drain, summarize. The metrics listener starts after the servers (it reports on them) and
 * stops after them, so a scrape during the drain still answers.
 */
final class ServerRunner {
    interface Starter {
        Service start() throws IOException;
    }

    private ServerRunner() {}

    static int run(Io io, boolean verbose, LogFormat logFormat, ServiceConfig config, List<Starter> starters)
            throws IOException, InterruptedException {
        LogSetup.ServerLog log = LogSetup.configure(io.stderr(), verbose, logFormat);
        CompletableFuture<String> stop = new CompletableFuture<>();
        ShutdownSignal.install(stop); // before binding: a signal during start-up is not lost
        List<Service> services = new ArrayList<>();
        MetricsServer metrics = null;
        try {
            for (Starter starter : starters) {
                Service service = start(starter, log, logFormat);
                if (service == null) {
                    return Main.FAILURE;
                }
                services.add(service);
                if (service.reloadable()) {
                    // Before its start line: whoever sees the line may send SIGHUP, which would
                    // otherwise end the JVM.
                    ReloadSignal.install(() -> reload(service, log));
                }
                String faults = service.faults();
                String engine = service.engine();
                for (Service.Listening listening : service.listening()) {
                    String local = SocketAddresses.format(listening.local());
                    List<LogEvent.Field> fields = new ArrayList<>(List.of(field("protocol", listening.protocol()),
                            field("local", local)));
                    fields.addAll(service.engineFields());
                    if (!faults.isEmpty()) {
                        fields.add(field("faults", faults));
                    }
                    log.log(Level.INFO, new LogEvent(Event.LISTENING, listening.protocol() + " listening on " + local
                            + (engine.isEmpty() ? "" : " (" + engine + ")")
                            + (faults.isEmpty() ? "" : " (faults: " + faults + ")"), fields, null));
                }
                service.broken().thenAccept(e -> stop.complete(service.protocol() + " listener broke"));
            }
            if (config.metrics().isPresent()) {
                // Ready until the stop begins: a signal, or a listener that broke.
                metrics = ServiceMetrics.start(config.metrics().get(), services, () -> !stop.isDone());
                String local = SocketAddresses.format(metrics.localAddress());
                log.log(Level.INFO, LogEvent.of(Event.LISTENING, "metrics listening on " + local,
                        field("protocol", "http"), field("local", local)));
            }
            String reason = stop.get();
            log.log(Level.INFO, LogEvent.of(Event.STOPPING, reason + ": stopping", field("reason", reason)));
            boolean signalled = reason.startsWith("SIG");
            if (signalled && config.drainDelay().isPositive()) {
                // Load balancers see /health/ready fail and take us out of rotation while we still
                // serve; a second signal still halts at once (ShutdownSignal).
                String delay = Durations.format(config.drainDelay());
                log.log(Level.INFO, LogEvent.of(Event.DRAIN_DELAY, "serving " + delay + " more (--drain-delay), then draining",
                        field("delay_s", config.drainDelay().toNanos() / 1e9)));
                Thread.sleep(config.drainDelay());
            }
            return signalled ? Main.OK : Main.FAILURE;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            for (Service service : services.reversed()) {
                service.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (!services.isEmpty()) {
                List<LogEvent.Field> counts = new ArrayList<>();
                services.forEach(s -> counts.addAll(s.summaryFields()));
                log.log(Level.INFO, new LogEvent(Event.STOPPED,
                        "stopped: " + String.join("; ", services.stream().map(Service::summary).toList()), counts, null));
            }
        }
    }

    /** On the signal's thread: one line either way; a bad file keeps the old certificate serving. */
    private static void reload(Service service, LogSetup.ServerLog log) {
        upcase.tls.ServerTls.Reload result = service.reload();
        log.log(result.loaded() ? Level.INFO : Level.WARNING,
                LogEvent.of(result.loaded() ? Event.TLS_RELOADED : Event.TLS_RELOAD_FAILED, result.message(),
                        field("protocol", "tls"), field("detail", result.message())));
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
