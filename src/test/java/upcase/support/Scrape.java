package upcase.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads upcase's --metrics listener over real HTTP (the JDK's client) and picks values out of the exposition. */
public final class Scrape {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape() {}

    /** GET {@code path} on 127.0.0.1:{@code port}, with an Accept header unless it is null. */
    public static HttpResponse<String> get(int port, String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static int status(int port, String path) throws IOException, InterruptedException {
        return get(port, path, null).statusCode();
    }

    /** The /metrics page in Prometheus text format. */
    public static String metrics(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics", null);
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The value of one series, {@code name} or {@code name{label="value"}} exactly as written,
     * as a long (upcase's counters are whole numbers); fails if the page does not have it.
     */
    public static long value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        if (!m.find()) {
            throw new AssertionError("no series " + series + " in:\n" + exposition);
        }
        double v = Double.parseDouble(m.group(1));
        if (v != Math.rint(v)) {
            throw new AssertionError(series + " is not a whole number: " + v);
        }
        return (long) v;
    }
}
