package upcase.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the metrics listener serves (docs/OPERATIONS.md): {@code /metrics}, {@code /health/live},
 * {@code /health/ready}. Called on the request threads, several at once.
 */
final class Endpoints {
    private static final List<String> PATHS = List.of("/metrics", "/health/live", "/health/ready");

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final BooleanSupplier ready;

    /** @param ready whether every listener accepts and no stop has begun */
    Endpoints(PrometheusRegistry registry, BooleanSupplier ready) {
        this.registry = registry;
        this.ready = ready;
    }

    Response answer(RequestHead request) throws IOException {
        if (!PATHS.contains(request.path())) {
            return Response.text(404, "not found: try " + String.join(", ", PATHS));
        }
        if (!request.method().equals("GET")) {
            return new Response(405, Response.TEXT, "only GET\n".getBytes(StandardCharsets.UTF_8), "GET");
        }
        return switch (request.path()) {
            case "/metrics" -> scrape(request.accept());
            case "/health/live" -> Response.text(200, "live");
            default -> ready.getAsBoolean() ? Response.text(200, "ready") : Response.text(503, "not ready: stopping");
        };
    }

    /** The writer picks OpenMetrics when the Accept header asks for it, Prometheus text otherwise. */
    private Response scrape(String accept) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) { // protobuf, which needs a library upcase does not ship
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, registry.scrape());
        return new Response(200, writer.getContentType(), body.toByteArray(), null);
    }
}
