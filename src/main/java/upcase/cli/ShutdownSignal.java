package upcase.cli;

import java.util.concurrent.CompletableFuture;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM start a graceful stop instead of the JVM's immediate exit, so the servers
 * can drain and the process can exit 0 (PROTOCOL.md §Shutdown). A second signal stops at once.
 * {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's supported way to take over a
 * signal; a shutdown hook cannot change the exit status.
 */
final class ShutdownSignal {
    private ShutdownSignal() {}

    /** Completes {@code stop} with the signal's name on the first signal; halts on the second. */
    static void install(CompletableFuture<String> stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> {
                if (!stop.complete("SIG" + signal.getName())) {
                    Runtime.getRuntime().halt(Main.FAILURE);
                }
            });
        }
    }
}
