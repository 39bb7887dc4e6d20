package upcase.udp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A statistics counter with exactly one writer, the serving thread, and readers anywhere. With
 * one writer an atomic read-modify-write is unnecessary: a release store is enough for readers
 * to see the value, and on x86 it is a plain store rather than a locked instruction per datagram.
 */
final class Counter {
    private final AtomicLong value = new AtomicLong();

    /** Only the owning thread may call this. */
    void add(long n) {
        value.setRelease(value.getPlain() + n);
    }

    void increment() {
        add(1);
    }

    long get() {
        return value.getAcquire();
    }
}
