package upcase.udp;

import java.io.IOException;
import java.lang.foreign.Arena;
import upcase.nativeio.DatagramBatch;
import upcase.nativeio.NativeDatagramSocket;
import upcase.nativeio.SystemCallException;
import upcase.net.Engine;

/**
 * The native engine's serving thread: one {@code recvmmsg} takes every datagram queued (up to
 * {@link #BATCH}), each is answered by the same {@link DatagramAnswerer} as on NIO, and one
 * {@code sendmmsg} sends the batch's replies, each from the local address its request arrived
 * on (IP_PKTINFO, for a wildcard bind). Under load that is two system calls per batch instead
 * of two per datagram; a client that waits for each reply still costs two per datagram, as on NIO.
 *
 * <p>Batches fill only when datagrams queue while the thread works. A server faster than its
 * clients would otherwise wake for every one or two datagrams, and each wake-up costs a receive,
 * a send and a context switch. So after a batch of several (several clients at once, as
 * {@link SpinRule} judges) the thread waits on its CPU for --udp-spin before it receives again: the replies of
 * that batch are already sent, and what arrives meanwhile comes in the next batch. A small
 * batch (a client waiting for each reply, or a quiet server) goes straight back to the blocking
 * receive, and a spin that brought few is not repeated for a while, so a few clients waiting for
 * their replies rarely wait for a spin.
 *
 * <p>Stopping: {@code shutdown(SHUT_RD)} on the socket (by {@link #stop}, from the closing
 * thread) wakes the blocked receive once the queue is empty and not before, so every datagram
 * queued before the stop is answered, then the receive reports the end and the loop ends. A flood
 * that never lets the queue empty ends at {@link ReplyLoop#FINAL_DRAIN_NANOS}.
 *
 * <p>Owns the socket and the batch's native memory (a confined arena) from the moment its thread
 * starts, and releases both when it ends.
 */
final class NativeReplyLoop extends BatchServingLoop {
    /**
     * Datagrams per system call. Each slot holds a whole datagram (64 KiB, since one must never
     * be cut), so a batch is 2 MiB of native memory per thread; at 32 the calls per datagram
     * are already 1/16 when batches fill, and batches fill only under load.
     */
    static final int BATCH = 32;

    /** The serving thread's, while it serves. */
    private DatagramBatch batch;

    /**
     * @param socket bound; this loop owns it from here on
     * @param packetInfo the socket reports each datagram's local address (a wildcard bind)
     * @param rateLimit the server's, shared by its threads; null when there is none
     */
    NativeReplyLoop(NativeDatagramSocket socket, boolean packetInfo, UdpServerConfig config, int ownPort,
            SourceRateLimit rateLimit) {
        super(socket, packetInfo, config, ownPort, rateLimit);
    }

    @Override
    Engine engine() {
        return Engine.EPOLL;
    }

    /** Receives and answers until the end of input after stop(), or the drain deadline passes. */
    @Override
    void serve() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            batch = new DatagramBatch(arena, BATCH, Datagrams.RECEIVE_CAPACITY, packetInfo);
            slots = batch;
            serving();
            serveBatches();
        }
    }

    private void serveBatches() throws IOException {
        for (;;) {
            int count;
            try {
                count = socket.receive(batch);
            } catch (SystemCallException e) {
                receiveFailed(e);
                continue;
            }
            boolean end = false;
            for (int i = 0; i < count; i++) {
                if (batch.endOfInput(i)) {
                    end = true; // the queue was empty after shutdown: nothing follows
                    break;
                }
                int replyLength = answer(i);
                if (replyLength != DatagramAnswerer.NO_REPLY) {
                    batch.queueReply(i, answerer.out(), replyLength);
                }
            }
            if (batch.queued() > 0) {
                socket.send(batch);
                for (int k = 0; k < batch.queued(); k++) {
                    countSend(batch.replySlot(k), batch.replyLength(k), batch.replyErrno(k));
                }
            }
            if (end) {
                endOfInput();
                return; // every datagram queued before stop() has been answered
            }
            if (drainOverdue()) {
                return;
            }
            if (spinNanos > 0 && spinRule.spinAfter(count)) {
                spin();
            }
        }
    }

    /**
     * Waits --udp-spin without a system call (System.nanoTime is a vDSO read), so that the next
     * receive finds a batch queued rather than sleeping for the first datagram. A stop ends it
     * early: the drain must not wait for a spin.
     */
    private void spin() {
        long until = System.nanoTime() + spinNanos;
        while (System.nanoTime() - until < 0 && !stopping()) {
            Thread.onSpinWait();
        }
    }
}
