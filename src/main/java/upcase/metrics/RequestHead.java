package upcase.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of an HTTP/1.x request the metrics listener uses: method, path, and the Accept
 * header (OpenMetrics or Prometheus text). A pure parser; anything that is not a well-formed
 * request head is a {@link HttpError} 400.
 *
 * @param method {@code GET}, ...
 * @param path the target without query, {@code /metrics}
 * @param accept the Accept header, or null
 */
record RequestHead(String method, String path, String accept) {
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]{1,16}) (\\S{1,4096}) HTTP/1\\.[01]");
    private static final Pattern ABSOLUTE = Pattern.compile("https?://[^/]*(/.*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * Where the head ends in {@code buf[0, length)}: just past the empty line, or -1 if it has
     * not come yet. Bare LF line ends are accepted, as RFC 9112 §2.2 allows.
     */
    static int end(byte[] buf, int length) {
        for (int i = 0; i < length; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            if (i + 1 < length && buf[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < length && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** {@code head}: the bytes up to {@link #end}. */
    static RequestHead parse(byte[] head, int length) throws HttpError {
        // ISO-8859-1 maps every byte to one char: no decoding error, and the patterns reject the rest.
        String[] lines = new String(head, 0, length, StandardCharsets.ISO_8859_1).split("\r?\n");
        Matcher request = REQUEST_LINE.matcher(lines.length == 0 ? "" : lines[0]);
        if (!request.matches()) {
            throw new HttpError(400, "not an HTTP/1.x request line");
        }
        String target = request.group(2);
        Matcher absolute = ABSOLUTE.matcher(target);
        if (absolute.matches()) {
            target = absolute.group(1) == null ? "/" : absolute.group(1);
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || !FIELD_NAME.matcher(line.substring(0, colon)).matches()) {
                throw new HttpError(400, "malformed header line");
            }
            if (line.substring(0, colon).toLowerCase(Locale.ROOT).equals("accept")) {
                String value = line.substring(colon + 1).strip();
                accept = accept == null ? value : accept + ", " + value; // repeated fields join (RFC 9110 §5.3)
            }
        }
        return new RequestHead(request.group(1), path, accept);
    }
}
