package upcase.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import upcase.net.Durations;
import upcase.net.SocketAddresses;
import upcase.text.UpperCase;

/**
 * One client connection, run on its own virtual thread: read, transform, write, until the
 * client half-closes, goes idle, or the server drains. This method owns the socket and all of
 * its cleanup.
 *
 * <p>Whatever a read returns is answered before the next read (PROTOCOL.md §TCP): no waiting
 * for a line end, so every client style gets its reply; only an incomplete UTF-8 sequence at
 * the end waits for its last bytes. Because the thread writes before it reads again, a client
 * that does not read stops being read from: memory per connection is bounded by the buffers.
 */
final class Connection implements Runnable {
    private static final Logger LOG = System.getLogger("upcase.tcp");
    /**
     * Buffers start small, so that ten thousand idle connections stay cheap, and double while
     * reads fill them, up to a size that keeps bulk transfers at a few syscalls per 16 KiB.
     */
    static final int INITIAL_BUFFER = 1024;
    static final int MAX_BUFFER = 16 * 1024;

    private final Socket socket;
    private final UpperCase transform;
    private final int idleMillis;
    private final TcpCounters counters;
    private final Consumer<Connection> onClose;
    private final InetSocketAddress peer;
    private Thread thread;

    Connection(Socket socket, TcpServerConfig config, TcpCounters counters, Consumer<Connection> onClose) {
        this.socket = socket;
        this.transform = config.transform();
        this.idleMillis = (int) config.idleTimeout().toMillis();
        this.counters = counters;
        this.onClose = onClose;
        this.peer = (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    /** From the acceptor: the thread is known before it runs, so close() can always wait for it. */
    void start(java.util.concurrent.ThreadFactory threads) {
        thread = threads.newThread(this);
        thread.start();
    }

    @Override
    public void run() {
        String end = "closed by client";
        long[] totals = new long[2];
        try (socket) {
            socket.setTcpNoDelay(true); // replies are small and must not wait for an ACK (Nagle)
            socket.setSoTimeout(idleMillis);
            serve(socket.getInputStream(), socket.getOutputStream(), totals);
        } catch (SocketTimeoutException e) {
            end = "idle for " + Durations.format(Duration.ofMillis(idleMillis));
        } catch (SocketException e) {
            end = e.getMessage(); // a reset or a close during drain: the normal ways a peer leaves
        } catch (IOException | RuntimeException e) {
            end = e.toString();
            LOG.log(Level.WARNING, "connection from " + SocketAddresses.format(peer) + " failed", e);
        } finally {
            onClose.accept(this);
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "connection from " + SocketAddresses.format(peer) + ": " + totals[0] + " bytes in, "
                        + totals[1] + " out, " + end);
            }
        }
    }

    private void serve(InputStream in, OutputStream out, long[] totals) throws IOException {
        byte[] input = new byte[INITIAL_BUFFER];
        byte[] output = transform.maxExpansion() == 1 ? input : new byte[input.length * transform.maxExpansion()];
        int carry = 0;
        int n;
        while ((n = in.read(input, carry, input.length - carry)) >= 0) {
            counters.received(input, carry, carry + n);
            totals[0] += n;
            int filled = carry + n;
            int end = transform.boundary(input, 0, filled);
            totals[1] += answer(input, end, output, out);
            carry = filled - end;
            System.arraycopy(input, end, input, 0, carry);
            if (filled == input.length && input.length < MAX_BUFFER) {
                input = java.util.Arrays.copyOf(input, input.length * 2);
                output = transform.maxExpansion() == 1 ? input : new byte[input.length * transform.maxExpansion()];
            }
        }
        totals[1] += answer(input, carry, output, out); // end of stream: a truncated sequence passes as it is
        socket.shutdownOutput(); // FIN after the last reply byte, before close
    }

    private int answer(byte[] input, int length, byte[] output, OutputStream out) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = transform.apply(input, 0, length, output, 0);
        out.write(output, 0, n);
        counters.sent(n);
        return n;
    }

    /** Drain, from the closing thread: the next read returns end of stream, so what was read is answered. */
    void finishInput() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "shutdownInput: {0}", e.getMessage());
        }
    }

    /** After the drain timeout, from the closing thread: a write blocked on a client that does not read fails. */
    void abort() {
        TcpServer.closeQuietly(socket);
    }

    void awaitUntil(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            thread.join(Duration.ofNanos(left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "connection from " + SocketAddresses.format(peer);
    }
}
