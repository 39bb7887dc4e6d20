package upcase.udp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it (the server uppercases UTF-8 bytes, so
 * the client must not re-encode them) and with bounded memory: a line longer than the limit is
 * counted and skipped, never held.
 *
 * <p>A line ends at LF. The LF is not part of the line, nor is a CR just before it: the textbook
 * Java client's {@code readLine()} strips both, and a CR sent along would come back and move a
 * terminal's cursor to the start of the reply line. Text after the last LF is a last line.
 */
final class LineReader {
    /** A line's bytes, or only its length when it was longer than the limit. */
    record Line(byte[] bytes, long length) {
        boolean tooLong() {
            return bytes == null;
        }
    }

    private final InputStream in;
    private final byte[] chunk = new byte[8192];
    private int chunkStart;
    private int chunkEnd;
    private final int limit;
    /** One byte more than the limit: a CR before the LF may still have to be stripped. */
    private final byte[] line;

    LineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
        this.line = new byte[limit + 1];
    }

    /** The next line, or null at the end of input. */
    Line next() throws IOException {
        int stored = 0;
        long length = 0;
        byte last = 0;
        for (;;) {
            if (chunkStart == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    return length == 0 ? null : finish(stored, length, last);
                }
                chunkStart = 0;
                chunkEnd = n;
                continue;
            }
            int end = indexOfNewline(chunkStart, chunkEnd);
            int stop = end < 0 ? chunkEnd : end;
            int n = stop - chunkStart;
            int kept = Math.min(n, line.length - stored);
            System.arraycopy(chunk, chunkStart, line, stored, kept);
            stored += kept;
            length += n;
            if (n > 0) {
                last = chunk[stop - 1];
            }
            chunkStart = end < 0 ? chunkEnd : end + 1;
            if (end >= 0) {
                return finish(stored, length, last);
            }
        }
    }

    private Line finish(int stored, long length, byte last) {
        if (last == '\r') {
            length--;
        }
        if (length > limit) {
            return new Line(null, length);
        }
        return new Line(Arrays.copyOf(line, (int) length), length);
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
