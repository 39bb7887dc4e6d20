package upcase.bench;

import java.nio.ByteBuffer;

/**
 * One TCP connection's lines, both ways: which bytes are written, and which reply bytes have been
 * checked. Line {@code i} is message {@code base + i} of the payload. Nothing is buffered: the
 * unwritten part of a line is generated again when the socket takes more, and replies are checked
 * in place, in order, as they arrive (PROTOCOL.md §TCP: replies come in order).
 *
 * <p>A reply that differs from the expected line is counted once, then skipped up to its line
 * feed, so one bad line does not make every later line look bad too.
 */
final class LineStream {
    /** {@link #read}: one line's reply arrived and is exactly the expected bytes. */
    static final int OK = 0;
    /** {@link #read}: one line's reply arrived and differs (or is cut short, or too long). */
    static final int MISMATCH = 1;
    /** {@link #read}: the source is used up in the middle of a line. */
    static final int PARTIAL = 2;
    /** {@link #read}: reply bytes for a line not yet written; the stream can no longer be trusted. */
    static final int UNSOLICITED = 3;

    private static final byte LF = '\n';

    private final Payload payload;
    private final Payload.Checker checker;
    private final int size;
    private long base;
    private long sent;
    private int writeOffset;
    private long replied;
    private int readOffset;
    private boolean skipping;

    LineStream(Payload payload, Payload.Checker checker, long base) {
        this.payload = payload;
        this.checker = checker;
        this.size = payload.size();
        this.base = base;
    }

    /** Starts over with no line written or answered; line {@code i} is now message {@code base + i}. */
    void reset(long newBase) {
        base = newBase;
        sent = 0;
        writeOffset = 0;
        replied = 0;
        readOffset = 0;
        skipping = false;
    }

    /** Lines of which at least one byte is written. */
    long started() {
        return writeOffset > 0 ? sent + 1 : sent;
    }

    /** Lines written in full. */
    long sent() {
        return sent;
    }

    /** Lines whose reply arrived (right or wrong). */
    long replied() {
        return replied;
    }

    /** Lines started and not yet answered. */
    long inFlight() {
        return started() - replied;
    }

    /** Line {@code i}'s message number. */
    long seq(long line) {
        return base + line;
    }

    /**
     * Puts into {@code dst} the bytes that come next: the rest of a partly written line, then whole
     * lines, up to but not including line {@code limit}. Changes nothing until {@link #wrote}.
     */
    void fill(ByteBuffer dst, long limit) {
        long line = sent;
        int offset = writeOffset;
        while (line < limit && dst.hasRemaining()) {
            offset += payload.fill(base + line, offset, dst);
            if (offset == size) {
                line++;
                offset = 0;
            }
        }
    }

    /** The first {@code n} bytes of what {@link #fill} put were written. */
    void wrote(int n) {
        long total = writeOffset + (long) n;
        sent += total / size;
        writeOffset = (int) (total % size);
    }

    /**
     * Checks reply bytes from {@code src}'s position, until one line's reply is complete or
     * {@code src} is used up. Returns {@link #OK}, {@link #MISMATCH}, {@link #PARTIAL} or
     * {@link #UNSOLICITED}; the line that completed is {@code replied() - 1}.
     */
    int read(ByteBuffer src) {
        while (src.hasRemaining()) {
            if (replied >= started()) {
                return UNSOLICITED;
            }
            int p = src.position();
            if (skipping) {
                int limit = src.limit();
                for (int i = p; i < limit; i++) {
                    if (src.get(i) == LF) {
                        src.position(i + 1);
                        return finish(MISMATCH);
                    }
                }
                src.position(limit);
                return PARTIAL;
            }
            // The server can only have answered what it was sent.
            int known = replied < sent ? size : writeOffset;
            int n = Math.min(known - readOffset, src.remaining());
            if (n == 0) {
                return UNSOLICITED;
            }
            int m = checker.mismatch(base + replied, readOffset, src, n);
            if (m < 0) {
                src.position(p + n);
                readOffset += n;
                return readOffset == size ? finish(OK) : PARTIAL;
            }
            src.position(p + m + 1);
            if (src.get(p + m) == LF) {
                return finish(MISMATCH); // the reply line is shorter than the line
            }
            skipping = true;
        }
        return PARTIAL;
    }

    private int finish(int outcome) {
        replied++;
        readOffset = 0;
        skipping = false;
        return outcome;
    }
}
