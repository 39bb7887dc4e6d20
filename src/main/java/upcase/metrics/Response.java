package upcase.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A complete HTTP/1.1 reply; every reply closes its connection, so none needs chunking or keep-alive. */
record Response(int status, String contentType, byte[] body, String allow) {
    static final String TEXT = "text/plain; charset=utf-8";

    static Response text(int status, String body) {
        return new Response(status, TEXT, (body + "\n").getBytes(StandardCharsets.UTF_8), null);
    }

    static Response error(HttpError e) {
        return text(e.status(), reason(e.status()) + ": " + e.getMessage());
    }

    void writeTo(OutputStream out) throws IOException {
        StringBuilder head = new StringBuilder(160)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("Connection: close\r\n");
        if (allow != null) {
            head.append("Allow: ").append(allow).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
