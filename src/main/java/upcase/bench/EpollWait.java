package upcase.bench;

import java.io.IOException;
import upcase.nativeio.Epoll;

/**
 * One wait of a load thread's epoll instance, for both epoll engines ({@link EpollConnections},
 * {@link EpollDatagrams}): every token is a unit's place in the thread's list (never a
 * descriptor), checked against the list's size; the wake-up token is consumed here. The load thread.
 */
final class EpollWait {
    /** A unit with events ({@link Epoll#IN}, {@link Epoll#OUT}, {@link Epoll#ERR}, {@link Epoll#HUP}). */
    interface Ready {
        void ready(int unit, int events);
    }

    private EpollWait() {}

    /** Waits until {@code deadline} (System.nanoTime) or a wake-up, handing each unit with events to {@code handler}. */
    static void await(Epoll epoll, long deadline, int units, Ready handler) throws IOException {
        long wait = deadline - System.nanoTime();
        // Milliseconds, as the selector: at least one unless the deadline has passed.
        int timeout = wait <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, wait / 1_000_000));
        int n = epoll.await(timeout);
        for (int i = 0; i < n; i++) {
            long token = epoll.token(i);
            if (token == Epoll.WAKE) {
                epoll.clearWake();
                continue;
            }
            if (token < 0 || token >= units) {
                throw new IllegalStateException("epoll reported token " + token + " for " + units + " units");
            }
            handler.ready((int) token, epoll.ready(i));
        }
    }
}
