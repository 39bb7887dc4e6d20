package upcase.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The last bytes a program wrote to its standard error, kept in a ring of fixed size whatever it
 * writes: a program that floods stderr costs this ring and the reading thread's time, no more.
 * The reader thread is this object's; it ends at end of stream (when the program's process group
 * is gone and the pipe's last writer closed it).
 */
final class StderrTail {
    /** A line longer than this is cut in reports: a stack trace's lines fit, a flood of one line does not. */
    private static final int LINE_LIMIT = 500;
    private final byte[] ring;
    private long total;
    private final Thread reader;

    private StderrTail(int limit, InputStream stderr, String name) {
        this.ring = new byte[limit];
        // A daemon: should a process escape the group and keep the pipe open, the JVM still exits.
        this.reader = Thread.ofPlatform().daemon().name(name).start(() -> drain(stderr));
    }

    static StderrTail reading(InputStream stderr, int limit, String name) {
        return new StderrTail(limit, stderr, name);
    }

    private void drain(InputStream in) {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                append(chunk, n);
            }
        } catch (IOException e) {
            // the pipe closed under the reader (the program's streams were closed at its stop): nothing more to keep
        }
    }

    private synchronized void append(byte[] chunk, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (total++ % ring.length)] = chunk[i];
        }
    }

    /** Waits up to {@code millis} for the program's last writes to be read (after it ended). */
    void awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
    }

    /** How many bytes the program wrote to stderr in all. */
    synchronized long total() {
        return total;
    }

    /**
     * The last {@code maxLines} lines kept, decoded as UTF-8 (invalid bytes replaced) and control
     * characters other than tab shown as {@code \xNN}, each line cut after {@value #LINE_LIMIT}
     * characters: they go into XML and JSON reports, where a
     * raw NUL or escape is not allowed or is a hazard on a terminal.
     */
    synchronized List<String> lastLines(int maxLines) {
        int kept = (int) Math.min(total, ring.length);
        byte[] bytes = new byte[kept];
        long start = total - kept;
        for (int i = 0; i < kept; i++) {
            bytes[i] = ring[(int) ((start + i) % ring.length)];
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        if (start > 0 && !lines.isEmpty()) {
            lines.removeFirst(); // cut by the ring: a partial line
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
        return last.stream().map(StderrTail::visible).toList();
    }

    private static String visible(String line) {
        StringBuilder out = new StringBuilder(Math.min(line.length(), LINE_LIMIT + 32));
        line.codePoints().limit(LINE_LIMIT).forEach(c -> {
            if ((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xFFFE || c == 0xFFFF) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        int length = line.codePointCount(0, line.length());
        return length > LINE_LIMIT ? out + "...(" + length + " characters)" : out.toString();
    }
}
