package upcase.peer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The peer's transform of one frame (a line, or a datagram's payload).
 *
 * <p>{@code --ascii}: {@code a}-{@code z} become {@code A}-{@code Z} in place, like upcase
 * {@code --ascii} and Python's {@code bytes.upper()}. Otherwise Unicode: a frame of ASCII bytes
 * only is uppercased in place (the same result), any other frame is decoded as UTF-8,
 * {@code toUpperCase(Locale.ROOT)}, and encoded again. Unlike upcase, which passes ill-formed
 * bytes through unchanged (docs/PROTOCOL.md §Transform), this replaces them with U+FFFD: the
 * benchmark's payloads are valid UTF-8 (ASCII, in fact), where both give the same bytes.
 */
final class UpperCase {
    private final boolean ascii;

    UpperCase(boolean ascii) {
        this.ascii = ascii;
    }

    boolean ascii() {
        return ascii;
    }

    /**
     * The transform of {@code frame}, which this takes ownership of: {@code frame} itself,
     * changed in place, or a new buffer (and {@code frame} is released).
     */
    ByteBuf apply(ByteBufAllocator alloc, ByteBuf frame) {
        if (ascii || Ascii.isAscii(frame)) {
            Ascii.upperInPlace(frame);
            return frame;
        }
        try {
            String upper = frame.toString(StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
            return ByteBufUtil.writeUtf8(alloc, upper);
        } finally {
            frame.release();
        }
    }
}
