package upcase.net;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A serving thread's start-up, told to the thread that started it: set up, or why not. A native
 * engine opens what belongs to its thread on that thread (an io_uring ring is bound to the thread
 * that creates it), so a server's start waits for each one's signal: a started server then holds
 * every descriptor it serves with, and a ring that cannot be opened (no descriptor left, memory
 * refused) fails the start with one line instead of breaking the server after its start line.
 */
public final class StartSignal {
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** From the serving thread: it is set up and serves from now on. */
    public void started() {
        done.complete(null);
    }

    /**
     * From the serving thread: it could not start. Returns false when it had started already,
     * so that a later failure is the thread's own to report.
     */
    public boolean failed(Throwable cause) {
        return done.completeExceptionally(cause);
    }

    /**
     * From the starting thread: waits for the signal. The serving thread's failure is thrown as
     * one line that says what could not start ({@code what}: "cannot start tcp engine io_uring"),
     * an I/O failure as an IOException, anything else as it was thrown.
     */
    public void await(String what) throws IOException {
        try {
            done.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IOException io -> throw new IOException(what + ": " + io.getMessage(), io);
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }
}
