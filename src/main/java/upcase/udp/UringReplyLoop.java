package upcase.udp;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import upcase.nativeio.NativeDatagramSocket;
import upcase.nativeio.SystemCallException;
import upcase.nativeio.UringDatagrams;
import upcase.net.Engine;

/**
 * The io_uring engine's serving thread: one ring per socket, a multishot recvmsg that the kernel
 * keeps filling buffers with, each datagram answered by the same {@link DatagramAnswerer} as on
 * the other engines, and each reply a sendmsg from the buffer its request came in, from the
 * address it came to (IP_PKTINFO, for a wildcard bind). A turn is one io_uring_enter: it
 * submits the last turn's replies (and the receive, when it must be armed again) and waits for
 * the next completions. A client that waits for each reply costs one system call per datagram,
 * not the recvmmsg and sendmmsg of the epoll engine.
 *
 * <p>The wait asks for the completions of the replies in flight plus one datagram. After a batch
 * of several ({@link SpinRule}: several clients at once), it asks for {@link SpinRule#SPIN_PAID}
 * datagrams for at most --udp-spin instead: the kernel-side spin, in which the thread sleeps
 * until the batch is full or the time is up; and like the spin, one that does not pay is not
 * repeated for a while.
 *
 * <p>Stopping: {@code shutdown(SHUT_RD)} (by {@link #stop}, from the closing thread) completes a
 * poll for POLLRDHUP that the loop keeps on its socket, which wakes it; from then on, after each
 * turn, it looks whether the socket still holds datagrams, and once it holds none (and every
 * completion is read), every datagram queued before the stop has been answered; the loop then
 * waits for its replies' completions and ends. A flood that never lets the queue empty ends at
 * {@link ReplyLoop#FINAL_DRAIN_NANOS}: from then on what the receive still brings goes back
 * unanswered and uncounted, and the loop ends once its replies in flight are sent and counted
 * (so that received = answered + dropped holds at the end; ShutdownInFlightTest). Clients that
 * send a new datagram for every reply are such a flood here: the multishot receive takes each
 * one as it lands, so the queue is rarely seen empty with no completion pending.
 *
 * <p>Owns the socket from the moment its thread starts; the ring and its buffers (a confined
 * arena) are the thread's; all are released once, by the thread, when it ends: the ring first
 * (its requests cancelled and their completions awaited, so that nothing in the kernel still
 * holds the socket or writes to the buffers), then the arena, then the socket.
 */
final class UringReplyLoop extends BatchServingLoop {
    /**
     * Buffers per ring, each holding a whole datagram (64 KiB): 2 MiB per thread, as the epoll
     * engine's batch. More datagrams in flight than buffers end the multishot receive (-ENOBUFS)
     * until replies are sent and their buffers back; the datagrams wait in the socket meanwhile.
     */
    static final int BUFFERS = 32;
    /** The wait when nothing is due; a stop ends it sooner, since the shutdown poll completes. */
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The serving thread's, while it serves. */
    private UringDatagrams io;

    /**
     * @param socket bound; this loop owns it from here on
     * @param packetInfo the socket reports each datagram's local address (a wildcard bind)
     * @param rateLimit the server's, shared by its threads; null when there is none
     */
    UringReplyLoop(NativeDatagramSocket socket, boolean packetInfo, UdpServerConfig config, int ownPort, SourceRateLimit rateLimit) {
        super(socket, packetInfo, config, ownPort, rateLimit);
    }

    @Override
    Engine engine() {
        return Engine.IO_URING;
    }

    @Override
    void serve() throws IOException {
        try (Arena arena = Arena.ofConfined();
                UringDatagrams ring = new UringDatagrams(arena, socket, BUFFERS, Datagrams.RECEIVE_CAPACITY, packetInfo)) {
            io = ring;
            slots = ring;
            serving();
            serveRing();
        }
    }

    /** Turns until the socket's queue is empty after stop() and the last reply's completion, or the drain deadline. */
    private void serveRing() throws IOException {
        io.watchShutdown();
        boolean ended = false;
        boolean cut = false; // past the drain deadline: no more datagrams answered
        int batch = 0;
        for (;;) {
            if (!io.receiveArmed() && !ended && io.available() > 0) {
                io.armReceive();
            }
            if (ended && io.sendsInFlight() == 0) {
                return; // every datagram queued before stop() has been answered and its reply sent
            }
            // The completions to wait for: every reply's, and datagrams only while the receive
            // is armed (with every buffer lent to a reply, none can come before those replies).
            int want = io.sendsInFlight();
            long timeout = IDLE_WAIT_NANOS;
            boolean receiving = io.receiveArmed() && !ended;
            if (receiving && spinNanos > 0 && spinRule.spinAfter(batch)) {
                want += SpinRule.SPIN_PAID;
                timeout = spinNanos;
            } else if (receiving) {
                want++;
            }
            int completions = io.submitAndWait(want, timeout);
            batch = 0;
            for (int i = 0; i < completions; i++) {
                if (io.isReceive(i)) {
                    if (cut) {
                        discard(i);
                    } else {
                        batch += received(i);
                    }
                } else if (io.isShutDown(i)) {
                    endOfInput(); // stop() shut the socket down, or someone did under the server
                } else {
                    int id = io.sent(i);
                    int result = io.result(i);
                    countSend(id, io.replyLength(id), result < 0 ? -result : 0);
                    io.recycle(id);
                }
            }
            io.consumed(completions);
            // After stop(), once the socket holds nothing more and every completion is read,
            // every datagram queued before the stop has been answered: only the replies remain.
            if (!ended && stopping() && io.socketQueueEmpty() && io.completions() == 0) {
                ended = true;
            }
            // Past the deadline the replies in flight still complete (a UDP send does at once)
            // and are counted, rather than cancelled uncounted by the ring's close.
            if (!cut && drainOverdue()) {
                cut = true;
                ended = true;
            }
        }
    }

    /** Receive completion {@code i} after the drain deadline: its buffer goes back, its datagram neither answered nor counted. */
    private void discard(int i) {
        if (io.result(i) < 0) {
            return;
        }
        try {
            io.recycle(io.take(i));
        } catch (IllegalStateException lie) {
            // take() gave the buffer back already
        }
    }

    /** Receive completion {@code i}: its datagram answered (the reply submitted with the next turn) or dropped; returns 1, or 0 for none. */
    private int received(int i) throws IOException {
        if (io.result(i) < 0) {
            SystemCallException error = io.receiveError(i);
            if (error != null) {
                receiveFailed(error);
            }
            return 0;
        }
        int id;
        try {
            id = io.take(i);
        } catch (IllegalStateException lie) {
            answerer.failed(null, lie); // a length or id the kernel reported does not add up: that datagram is lost
            return 0;
        }
        int replyLength = answer(id);
        if (replyLength == DatagramAnswerer.NO_REPLY) {
            io.recycle(id);
        } else {
            io.reply(id, answerer.out(), replyLength);
        }
        return 1;
    }
}
