package upcase.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What every server command shares as a service: the metrics listener and the drain delay. */
final class ServiceOptions {
    @Option(names = "--metrics", paramLabel = "ADDR:PORT", defaultValue = "${env:UPCASE_METRICS}",
            converter = SocketAddressConverter.class,
            description = "Serve /metrics, /health/live and /health/ready over HTTP here; port 0 = any "
                    + "(default: off; env UPCASE_METRICS).")
    InetSocketAddress metrics;

    @Option(names = "--drain-delay", paramLabel = "DURATION", defaultValue = ServiceConfig.DEFAULT_DRAIN_DELAY,
            converter = DurationConverter.class,
            description = "On SIGINT/SIGTERM, keep serving this long while /health/ready says 503, then drain "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration drainDelay;

    ServiceConfig config() {
        return new ServiceConfig(Optional.ofNullable(metrics), drainDelay);
    }
}
