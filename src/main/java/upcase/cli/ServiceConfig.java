package upcase.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a server process behaves as a service, whichever servers it runs. The defaults here are
 * the only ones.
 *
 * @param metrics where the metrics and health listener listens; empty = no listener (the default)
 * @param drainDelay after SIGTERM/SIGINT, how long the servers keep accepting and answering while
 *     {@code /health/ready} says 503, before they drain (docs/OPERATIONS.md §Health and draining)
 */
record ServiceConfig(Optional<InetSocketAddress> metrics, Duration drainDelay) {
    static final String DEFAULT_DRAIN_DELAY = "0s";

    ServiceConfig {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(drainDelay, "drainDelay");
        if (drainDelay.isNegative()) {
            throw new IllegalArgumentException("drainDelay cannot be negative");
        }
    }
}
