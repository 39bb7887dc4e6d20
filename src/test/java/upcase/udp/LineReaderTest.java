package upcase.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LineReaderTest {

    private static List<String> lines(String input, int limit) throws IOException {
        return lines(new ByteArrayInputStream(input.getBytes(UTF_8)), limit);
    }

    /** Each line as its text, or "too long: N" for a line over the limit. */
    private static List<String> lines(InputStream input, int limit) throws IOException {
        LineReader reader = new LineReader(input, limit);
        List<String> result = new ArrayList<>();
        for (LineReader.Line line; (line = reader.next()) != null; ) {
            result.add(line.tooLong() ? "too long: " + line.length() : new String(line.bytes(), UTF_8));
        }
        return result;
    }

    @Test
    void splitsAtLfAndStripsACrBeforeIt() throws IOException {
        assertThat(lines("one\ntwo\r\n\nfour\r\r\n", 100)).containsExactly("one", "two", "", "four\r");
    }

    @Test
    void textAfterTheLastLfIsALastLine() throws IOException {
        assertThat(lines("one\ntwo", 100)).containsExactly("one", "two");
        assertThat(lines("", 100)).isEmpty();
        assertThat(lines("\n", 100)).containsExactly("");
    }

    @Test
    void aLineUpToTheLimitIsKeptEvenWithACrAfterIt() throws IOException {
        assertThat(lines("12345\n12345\r\n123456\n", 5)).containsExactly("12345", "12345", "too long: 6");
    }

    @Test
    void aLongLineIsMeasuredAndSkippedAndTheNextOneIsIntact() throws IOException {
        String big = "x".repeat(100_000);
        assertThat(lines(big + "\r\nafter\n" + big, 10)).containsExactly("too long: 100000", "after", "too long: 100000");
    }

    @Test
    void aLineFarLargerThanMemoryCouldHoldIsSkippedWithBoundedMemory() throws IOException {
        // 3 GiB of one line, produced on the fly: more than the test JVM's heap (-Xmx1g) and
        // more than an int can count, so buffering it or counting it in an int would fail.
        long size = 3L << 30;
        InputStream endless = new InputStream() {
            private long left = size;
            private boolean newlineSent;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read in chunks");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    if (newlineSent) {
                        return -1;
                    }
                    newlineSent = true;
                    b[off] = '\n';
                    return 1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };

        assertThat(lines(endless, Datagrams.MAX_PAYLOAD)).containsExactly("too long: " + size);
    }
}
