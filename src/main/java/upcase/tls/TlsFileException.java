package upcase.tls;

import java.io.IOException;

/**
 * A certificate or key file that cannot be used: missing, unreadable, the wrong PEM type, or a key
 * that does not belong to its certificate. The message is one line naming the file, ready to
 * print after {@code upcase: }.
 */
public final class TlsFileException extends IOException {
    public TlsFileException(String message) {
        super(message);
    }

    public TlsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
