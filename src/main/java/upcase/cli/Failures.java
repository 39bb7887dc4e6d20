package upcase.cli;

import java.net.UnknownHostException;

/** One line for a failure the user can act on; the messages of upcase's own exceptions already name the address. */
final class Failures {
    private Failures() {}

    static String describe(Throwable e) {
        if (e instanceof UnknownHostException && e.getMessage() != null && !e.getMessage().startsWith("unknown host")) {
            return "unknown host " + e.getMessage();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }
}
