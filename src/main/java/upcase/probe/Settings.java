package upcase.probe;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import upcase.tls.ClientTlsSettings;

/**
 * What to probe: the servers (one per transport, at least one), the level and the wait for each reply.
 *
 * @param endpoints the server of each transport given; a transport without one is not applicable
 * @param tls with {@code --tls}, how the TCP checks speak TLS; null for plain TCP
 */
public record Settings(Map<Transport, Endpoint> endpoints, Level level, Duration timeout, ClientTlsSettings tls) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public Settings {
        Map<Transport, Endpoint> copy = new EnumMap<>(Transport.class);
        copy.putAll(endpoints);
        endpoints = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(level, "level");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no server to probe");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive");
        }
        if (tls != null && !endpoints.containsKey(Transport.TCP)) {
            throw new IllegalArgumentException("--tls is for the TCP server: give --tcp HOST:PORT");
        }
    }

    /** Plain TCP. */
    public Settings(Map<Transport, Endpoint> endpoints, Level level, Duration timeout) {
        this(endpoints, level, timeout, null);
    }

    /** The same servers, the TCP checks over TLS with {@code tls} (null: plain TCP). */
    public Settings withTls(ClientTlsSettings tls) {
        return new Settings(endpoints, level, timeout, tls);
    }

    /** {@code tcp} and {@code udp} may each be {@code null}, not both. */
    public static Settings of(Endpoint tcp, Endpoint udp, Level level, Duration timeout) {
        Map<Transport, Endpoint> endpoints = new EnumMap<>(Transport.class);
        if (tcp != null) {
            endpoints.put(Transport.TCP, tcp);
        }
        if (udp != null) {
            endpoints.put(Transport.UDP, udp);
        }
        return new Settings(endpoints, level, timeout);
    }
}
