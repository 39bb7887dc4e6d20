package upcase.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Small byte helpers for tests over real sockets. */
public final class Lines {
    private Lines() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The reference for well-formed text: what the JDK says, in the root locale. */
    public static byte[] upper(String s) {
        return utf8(s.toUpperCase(Locale.ROOT));
    }

    /** Reads exactly {@code n} bytes, or fails if the stream ends first. */
    public static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new AssertionError("stream ended after " + b.length + " of " + n + " bytes: " + utf8(b));
        }
        return b;
    }

    /** Reads until end of stream. */
    public static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
