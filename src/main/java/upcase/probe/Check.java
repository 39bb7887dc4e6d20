package upcase.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One conformance check: a stable id ({@code tcp.full.pipelining}), what it proves in one line,
 * and the exchange that proves it.
 */
public record Check(String id, Level level, Transport transport, String description, Body body) {

    /** The exchange: talks to {@code target} within {@code timing} and judges what came back. */
    @FunctionalInterface
    public interface Body {
        /**
         * @throws IOException when the server cannot be reached or the exchange breaks in a way
         *     the body does not judge itself; the probe turns it into a failure
         */
        Result run(InetSocketAddress target, Timing timing) throws IOException, InterruptedException;
    }

    public Check {
        Objects.requireNonNull(body, "body");
        String prefix = transport.id() + "." + level.id() + ".";
        // Graders key on ids: the transport and level in them must be the true ones.
        if (!id.startsWith(prefix) || !id.substring(prefix.length()).matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("check id " + id + " must look like " + prefix + "some-name");
        }
    }
}
