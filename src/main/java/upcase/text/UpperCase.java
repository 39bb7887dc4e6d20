package upcase.text;

/**
 * A byte-level uppercase transform: the whole of what the servers do to the bytes they receive.
 *
 * <p>Implementations are pure and thread-safe: no sockets, no state between calls. A stream is
 * transformed chunk by chunk with {@link #boundary} and {@link #apply}; the result is the same
 * bytes as transforming the whole stream at once (docs/PROTOCOL.md, "Transform").
 *
 * <pre>{@code
 * int end = upper.boundary(buf, 0, filled);      // hold back an incomplete trailing sequence
 * int n = upper.apply(buf, 0, end, out, 0);      // out has room for end * maxExpansion()
 * // ...write out[0, n), keep buf[end, filled) for the next read; at end of stream apply the rest
 * }</pre>
 */
public sealed interface UpperCase permits Utf8UpperCase, AsciiUpperCase {

    /** Unicode full case mapping of UTF-8 text, locale-independent; ill-formed bytes pass unchanged. */
    static UpperCase unicode() {
        return Utf8UpperCase.INSTANCE;
    }

    /** Only {@code a}-{@code z} change; every other byte passes unchanged (Python's {@code bytes.upper()}). */
    static UpperCase ascii() {
        return AsciiUpperCase.INSTANCE;
    }

    /** The most output bytes one input byte can become: size output buffers with it. */
    int maxExpansion();

    /**
     * Where a chunk may be cut: the largest {@code end <= to} such that {@code src[end, to)} is
     * the start of a UTF-8 sequence that later bytes could still complete (at most 3 bytes).
     * Returns {@code to} when nothing needs to wait.
     */
    int boundary(byte[] src, int from, int to);

    /**
     * Transforms {@code src[from, to)} into {@code dst} starting at {@code dstFrom}, treating
     * {@code to} as the end of input (a truncated sequence there passes unchanged). {@code dst}
     * needs room for {@code (to - from) * maxExpansion()} bytes; it may be {@code src} itself only
     * when {@code maxExpansion() == 1} and {@code dstFrom == from}.
     *
     * @return the number of bytes written
     */
    int apply(byte[] src, int from, int to, byte[] dst, int dstFrom);

    /** Transforms a whole, complete input (of up to 2 GiB / maxExpansion(); stream anything larger). */
    default byte[] apply(byte[] src) {
        byte[] dst = new byte[Math.multiplyExact(src.length, maxExpansion())];
        int n = apply(src, 0, src.length, dst, 0);
        return n == dst.length ? dst : java.util.Arrays.copyOf(dst, n);
    }
}
