package upcase.metrics;

/** A request the metrics listener answers with an error status and then closes. */
final class HttpError extends Exception {
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false); // expected, and cheap: no stack trace
        this.status = status;
    }

    int status() {
        return status;
    }
}
