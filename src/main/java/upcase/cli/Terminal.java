package upcase.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard input is a terminal: the clients prompt and print {@code FROM SERVER: } only
 * then (PROTOCOL.md §Clients). On Linux, read where file descriptor 0 points; elsewhere ask
 * {@link System#console()}, which on JDK 22+ first looks up console providers (JLine among them),
 * a cost at start-up that a client should not pay.
 */
final class Terminal {
    private Terminal() {}

    static boolean isStdin() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }
}
