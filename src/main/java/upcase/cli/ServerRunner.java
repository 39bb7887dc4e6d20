package upcase.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import upcase.metrics.MetricsServer;
import upcase.net.Durations;
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

    static int run(Io io, boolean verbose, ServiceConfig config, List<Starter> starters)
            throws IOException, InterruptedException {
        LogSetup.configure(io.stderr(), verbose);
        CompletableFuture<String> stop = new CompletableFuture<>();
        ShutdownSignal.install(stop); // before binding: a signal during start-up is not lost
        List<Service> services = new ArrayList<>();
        MetricsServer metrics = null;
        try {
            for (Starter starter : starters) {
                Service service = starter.start();
                services.add(service);
                io.stderr().println("upcase: " + service.protocol() + " listening on "
                        + SocketAddresses.format(service.localAddress()));
                service.broken().thenAccept(e -> stop.complete(service.protocol() + " listener broke"));
            }
            if (config.metrics().isPresent()) {
                // Ready until the stop begins: a signal, or a listener that broke.
                metrics = ServiceMetrics.start(config.metrics().get(), services, () -> !stop.isDone());
                io.stderr().println("upcase: metrics listening on " + SocketAddresses.format(metrics.localAddress()));
            }
            String reason = stop.get();
            io.stderr().println("upcase: " + reason + ": stopping");
            boolean signalled = reason.startsWith("SIG");
            if (signalled && config.drainDelay().isPositive()) {
                // Load balancers see /health/ready fail and take us out of rotation while we still
                // serve; a second signal still halts at once (ShutdownSignal).
                io.stderr().println("upcase: serving " + Durations.format(config.drainDelay())
                        + " more (--drain-delay), then draining");
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
                io.stderr().println("upcase: stopped: "
                        + String.join("; ", services.stream().map(Service::summary).toList()));
            }
        }
    }
}
