package upcase.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** What upcase's self-contained HTML pages (the bench report, the probe's pages) share. */
public final class Html {
    private Html() {}

    /**
     * Text for HTML element content and attribute values, whichever quote the attribute uses:
     * a peer's bytes (a student's server may answer {@code <script>}) are shown, never parsed.
     */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /**
     * A resource next to {@code owner} (a style sheet, a script, a template), or with a leading
     * '/' any on the classpath, as UTF-8 text. Missing means a broken build.
     */
    public static String resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath (a broken build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
