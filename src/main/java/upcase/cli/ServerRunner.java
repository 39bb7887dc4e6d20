package upcase.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import upcase.net.SocketAddresses;

/** What the server commands share: start, announce, wait for a signal, drain, summarize. */
final class ServerRunner {
    interface Starter {
        Service start() throws IOException;
    }

    private ServerRunner() {}

    static int run(Io io, boolean verbose, List<Starter> starters) throws IOException, InterruptedException {
        LogSetup.configure(io.stderr(), verbose);
        CompletableFuture<String> stop = new CompletableFuture<>();
        ShutdownSignal.install(stop); // before binding: a signal during start-up is not lost
        List<Service> services = new ArrayList<>();
        try {
            for (Starter starter : starters) {
                Service service = starter.start();
                services.add(service);
                String faults = service.faults();
                io.stderr().println("upcase: " + service.protocol() + " listening on "
                        + SocketAddresses.format(service.localAddress())
                        + (faults.isEmpty() ? "" : " (faults: " + faults + ")"));
                service.broken().thenAccept(e -> stop.complete(service.protocol() + " listener broke"));
            }
            String reason = stop.get();
            io.stderr().println("upcase: " + reason + ": stopping");
            return reason.startsWith("SIG") ? Main.OK : Main.FAILURE;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            for (Service service : services.reversed()) {
                service.close();
            }
            if (!services.isEmpty()) {
                io.stderr().println("upcase: stopped: "
                        + String.join("; ", services.stream().map(Service::summary).toList()));
            }
        }
    }
}
