package upcase.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies standard input to the server one line at a time, without holding a whole line in memory. */
final class LineInput {
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int limit;

    LineInput(InputStream in) {
        this.in = in;
    }

    /**
     * Copies the next line, with its line feed, to {@code out}; a last line without one gets one,
     * as the textbook client adds {@code '\n'}.
     *
     * @return false at end of input with nothing copied
     */
    boolean copyLine(OutputStream out) throws IOException {
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (any) {
                        out.write('\n');
                    }
                    return any;
                }
            }
            any = true;
            int lf = indexOf(buf, pos, limit);
            int end = lf < 0 ? limit : lf + 1;
            out.write(buf, pos, end - pos);
            pos = end;
            if (lf >= 0) {
                return true;
            }
        }
    }

    private static int indexOf(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
