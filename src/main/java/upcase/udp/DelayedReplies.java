package upcase.udp;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Replies held back by --delay/--jitter, and the thread that sends each when it is due: the
 * reply loop blocks in receive and cannot keep time, and sleeping there would stop it
 * receiving. Exists only when a delay is configured.
 *
 * <p>Bounded: at most {@link #MAX_HELD_BYTES} of replies wait (each counted at least
 * {@link #MIN_CHARGE} bytes, so that empty datagrams are bounded too). A reply over the bound
 * is refused by {@link #offer}, and the reply loop counts it as dropped by the fault knob
 * ({@code Drop.FAULT}): memory stays bounded whatever the clients send, and the loss is
 * counted, where backpressure would only move it, uncounted, to the kernel's receive queue.
 *
 * <p>Threads: {@link #offer} is called by the reply loop only; {@link #finish} by the reply
 * loop when it has stopped receiving, before it closes the socket. The sending thread is
 * started by {@link #start} and ends in {@link #finish}: it sends what is still held, each
 * when due until the drain deadline, then the rest at once, so that stopping loses no reply
 * that was accepted.
 */
final class DelayedReplies implements Runnable {
    private static final Logger LOG = System.getLogger("upcase.udp");
    static final long MAX_HELD_BYTES = 16L << 20;
    static final int MIN_CHARGE = 64;

    private record Held(long dueAt, InetSocketAddress to, byte[] reply) {
        long charge() {
            return Math.max(MIN_CHARGE, reply.length);
        }
    }

    private final ReplySender sender;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(Held::dueAt));
    private long heldBytes;
    private boolean finishing;
    private long finishDeadline;

    DelayedReplies(DatagramChannel channel) {
        this.sender = new ReplySender(channel);
        this.thread = Thread.ofPlatform().name("upcase-udp-delay").unstarted(this);
    }

    void start() {
        thread.start();
    }

    ReplySender sender() {
        return sender;
    }

    /** From the reply loop: holds a copy of {@code reply} until {@code dueAt}; false when the bound is reached. */
    boolean offer(InetSocketAddress to, byte[] reply, int length, long dueAt) {
        Held h = new Held(dueAt, to, Arrays.copyOf(reply, length));
        lock.lock();
        try {
            if (heldBytes + h.charge() > MAX_HELD_BYTES) {
                return false;
            }
            heldBytes += h.charge();
            held.add(h);
            if (held.peek() == h) {
                changed.signal(); // the sender may be waiting for a later one
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        Held next;
        while ((next = next()) != null) {
            sender.send(ByteBuffer.wrap(next.reply()), next.to());
        }
    }

    /** The next reply to send, waiting until it is due; null once finishing and nothing is held. */
    private Held next() {
        lock.lock();
        try {
            for (;;) {
                Held first = held.peek();
                long now = System.nanoTime();
                if (first == null && finishing) {
                    return null;
                }
                if (first != null && (first.dueAt() - now <= 0 || finishing && now - finishDeadline >= 0)) {
                    held.poll();
                    heldBytes -= first.charge();
                    return first;
                }
                try {
                    if (first == null) {
                        changed.await();
                    } else {
                        long wait = first.dueAt() - now;
                        changed.awaitNanos(finishing ? Math.min(wait, finishDeadline - now) : wait);
                    }
                } catch (InterruptedException e) {
                    // Nobody interrupts this thread; if something does, send what is held at once
                    // rather than lose it (an interrupt would also close the channel mid-send).
                    finishing = true;
                    finishDeadline = now;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * From the reply loop, once it receives no more: sends what is held (when due, or at once
     * after {@code deadline}) and waits for the sending thread to end.
     */
    void finish(long deadline) {
        if (thread.getState() == Thread.State.NEW) {
            return; // start-up failed before it ran
        }
        lock.lock();
        try {
            finishing = true;
            finishDeadline = deadline;
            changed.signal();
        } finally {
            lock.unlock();
        }
        try {
            if (!thread.join(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())
                    + TimeUnit.SECONDS.toNanos(1)))) {
                LOG.log(Level.WARNING, "the delayed udp replies were not all sent in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
