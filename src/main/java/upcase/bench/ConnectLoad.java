package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import upcase.tls.ClientContext;

/**
 * {@code upcase bench connect}: the textbook client's pattern, a new connection for every line.
 * Each worker connects, sends one line, reads its reply, closes, and starts over. Works with
 * servers that close after one reply (the textbook's) and with servers that keep the connection
 * open (the worker closes first). Latency is the whole exchange, connect to last reply byte.
 *
 * <p>With a rate, exchanges are due on a {@link Schedule} (exchange {@code k} of this thread goes
 * to worker {@code k mod workers}); a worker starts its next exchange when it is due, or at once
 * if it was due while the previous one was still going, and latency counts from when it was due.
 *
 * <p>With TLS every exchange runs a full handshake (no session is resumed: see
 * {@link ClientContext#newEngine}), so connects per second are handshakes per second, and the
 * latency includes the handshake; a failed handshake is an error with its one-line reason.
 */
final class ConnectLoad extends Loop {
    /** After a failed connect, a worker waits this long before the next, so a dead server is not hammered. */
    static final long BACKOFF = 10_000_000;

    static final class Worker {
        final int id;
        /** This worker's index among its thread's workers: its unit in the schedule. */
        final int unit;
        final LineStream lines;
        SocketChannel channel;
        /** With TLS: the session over {@link #channel}; null for plain TCP. */
        TlsChannel tls;
        SelectionKey key;
        boolean connecting;
        /** With TLS: connected, the handshake under way. */
        boolean handshaking;
        long started;
        /** With a rate: when the exchange actually started (started is when it was due). */
        long began;
        long exchanges;
        /** Waiting after a failure until then; 0 when not waiting. */
        long wakeAt;
        boolean writeInterest;

        Worker(int id, int unit, LineStream lines) {
            this.id = id;
            this.unit = unit;
            this.lines = lines;
        }

        boolean busy() {
            return channel != null;
        }
    }

    private final InetSocketAddress target;
    private final long timeout;
    private final int threads;
    /** Exchanges per second for all threads together; 0: each worker goes again at once. */
    private final double rate;
    private final List<Worker> workers = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(ConnectionLoop.BUFFER);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(ConnectionLoop.BUFFER);
    /** TLS towards the server; null for plain TCP. */
    private final ClientContext tlsContext;
    private final TlsChannel.Scratch scratch;
    private boolean sending;
    private int sleeping;

    ConnectLoad(int index, Control control, Problems problems, InetSocketAddress target, long timeout, int[] ids,
            Payload payload, int threads, double rate, ClientContext tlsContext) throws IOException {
        super(index, control, problems);
        this.tlsContext = tlsContext;
        this.scratch = tlsContext == null ? null : new TlsChannel.Scratch(ConnectionLoop.BUFFER);
        this.target = target;
        this.timeout = timeout;
        this.threads = threads;
        this.rate = rate;
        Payload.Checker checker = payload.checker();
        for (int id : ids) {
            workers.add(new Worker(id, workers.size(), new LineStream(payload, checker, 0)));
        }
    }

    @Override
    void body() throws IOException, InterruptedException {
        signalReady();
        if (!control.awaitBegin()) {
            return;
        }
        scheduled(rate, threads, workers.size(), "connect", this::traffic);
    }

    private void traffic(Ticker ticker) throws IOException {
        sending = true;
        long now = System.nanoTime();
        for (Worker w : workers) {
            start(w, now);
        }
        long dispatched = schedule == null ? 0 : schedule.dueTotal(now);
        long nextHousekeeping = now + HOUSEKEEPING;
        while (!control.cancelled()) {
            now = System.nanoTime();
            if (sending && schedule != null) {
                long at = now;
                dispatched = dispatch(schedule, ticker, dispatched, Math.min(now, stopAt - 1), workers.size(),
                        unit -> idleStart(workers.get(unit), at));
            }
            if (sending && now - stopAt >= 0) {
                stopSending();
            }
            if (sleeping > 0) {
                wake(now);
            }
            if (now - nextHousekeeping >= 0) {
                closeOverdue(now);
                nextHousekeeping = now + HOUSEKEEPING;
            }
            if (!sending && !anyBusy()) {
                return;
            }
            long deadline = nextHousekeeping;
            if (sending) {
                deadline = Math.min(deadline, stopAt);
            }
            if (sleeping > 0) {
                deadline = Math.min(deadline, now + BACKOFF);
            }
            select(deadline, this::event);
        }
    }

    private void stopSending() {
        sending = false;
        if (schedule != null) {
            for (Worker w : workers) {
                long started = w.exchanges + (w.busy() ? 1 : 0);
                tally.add(Count.UNSENT, Math.max(0, schedule.due(w.unit, stopAt - 1) - started));
            }
        }
    }

    /** With a rate: a worker that got an exchange due starts it, unless it is still busy with one (or backing off). */
    private void idleStart(Worker w, long now) {
        if (!w.busy() && w.wakeAt == 0) {
            start(w, now);
        }
    }

    private boolean anyBusy() {
        for (Worker w : workers) {
            if (w.busy()) {
                return true;
            }
        }
        return false;
    }

    private void wake(long now) {
        for (Worker w : workers) {
            if (w.wakeAt != 0 && now - w.wakeAt >= 0) {
                w.wakeAt = 0;
                sleeping--;
                start(w, now);
            }
        }
    }

    /**
     * One exchange: connect, then the line goes out as soon as the connection is up. With a
     * rate, only if the worker's next exchange is due; its latency then counts from then.
     */
    private void start(Worker w, long now) {
        if (!sending) {
            return;
        }
        if (schedule != null) {
            if (schedule.due(w.unit, Math.min(now, stopAt - 1)) <= w.exchanges) {
                return; // not due yet: the dispatch starts it when it is
            }
            long due = schedule.intended(w.unit, w.exchanges);
            recordLag(now - due);
            w.started = due;
            w.began = now;
        } else {
            w.started = now;
        }
        w.lines.reset(((long) w.id << 32) | (w.exchanges & 0xffff_ffffL));
        try {
            w.channel = SocketChannel.open();
            w.channel.configureBlocking(false);
            w.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (w.channel.connect(target)) {
                w.key = w.channel.register(selector, SelectionKey.OP_READ, w);
                connected(w, now);
            } else {
                w.key = w.channel.register(selector, SelectionKey.OP_CONNECT, w);
                w.connecting = true;
            }
        } catch (IOException e) {
            connectFailed(e);
            backOff(w, now);
        }
    }

    private void backOff(Worker w, long now) {
        close(w);
        w.wakeAt = now + BACKOFF;
        sleeping++;
    }

    private void connected(Worker w, long now) {
        w.connecting = false;
        if (tlsContext == null) {
            opened(w);
            return;
        }
        try {
            w.tls = new TlsChannel(w.channel, tlsContext.newEngine(), scratch);
        } catch (IOException | RuntimeException e) {
            handshakeFailed(tlsContext.failure(e));
            backOff(w, now);
            return;
        }
        w.handshaking = true;
        handshake(w, now);
    }

    private void handshake(Worker w, long now) {
        try {
            switch (w.tls.handshake()) {
                case DONE -> {
                    w.handshaking = false;
                    negotiated(w.tls);
                    opened(w);
                }
                case READ -> w.key.interestOps(SelectionKey.OP_READ);
                case WRITE -> w.key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            handshakeFailed(tlsContext.failure(e));
            backOff(w, now);
        }
    }

    /** Connected (with TLS, the handshake over): the line goes out. */
    private void opened(Worker w) {
        tally.add(Count.CONNECTS);
        w.writeInterest = false;
        w.key.interestOps(SelectionKey.OP_READ);
        write(w);
    }

    private void event(SelectionKey key) {
        Worker w = (Worker) key.attachment();
        if (!key.isValid()) {
            return;
        }
        long now = System.nanoTime();
        if (w.connecting) {
            if (key.isConnectable()) {
                try {
                    w.channel.finishConnect();
                    connected(w, now);
                } catch (IOException e) {
                    connectFailed(e);
                    backOff(w, now);
                }
            }
            return;
        }
        if (w.handshaking) {
            handshake(w, now);
            return;
        }
        if (key.isReadable()) {
            read(w, now);
        }
        if (w.busy() && key.isValid() && key.isWritable()) {
            write(w);
        }
    }

    private void write(Worker w) {
        writeBuffer.clear();
        w.lines.fill(writeBuffer, 1);
        writeBuffer.flip();
        try {
            w.lines.wrote(w.tls == null ? w.channel.write(writeBuffer) : w.tls.write(writeBuffer));
        } catch (IOException e) {
            failed(e, "write");
            next(w, System.nanoTime());
            return;
        }
        boolean more = w.lines.sent() < 1 || w.tls != null && w.tls.flushing();
        if (more != w.writeInterest) {
            w.writeInterest = more;
            w.key.interestOps(more ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        if (!more) {
            tally.add(Count.SENT);
        }
    }

    private void read(Worker w, long now) {
        readBuffer.clear();
        int n;
        try {
            n = w.tls == null ? w.channel.read(readBuffer) : w.tls.read(readBuffer);
        } catch (IOException e) {
            failed(e, "read");
            next(w, now);
            return;
        }
        if (n < 0) {
            tally.add(Count.ERRORS);
            problems.add("closed by the server before the whole reply");
            next(w, now);
            return;
        }
        readBuffer.flip();
        tally.add(Count.REPLY_BYTES, n);
        while (readBuffer.hasRemaining()) {
            switch (w.lines.read(readBuffer)) {
                case LineStream.OK -> {
                    record(now - w.started);
                    if (schedule != null) {
                        recordRaw(now - w.began);
                    }
                    tally.add(Count.REPLIES);
                    next(w, now);
                    return;
                }
                case LineStream.MISMATCH -> {
                    tally.add(Count.MISMATCHES);
                    problems.add("reply differs from the expected bytes");
                    next(w, now);
                    return;
                }
                case LineStream.UNSOLICITED -> {
                    tally.add(Count.ERRORS);
                    problems.add("reply bytes for a line not sent");
                    next(w, now);
                    return;
                }
                default -> { }
            }
        }
    }

    /** This exchange is over, well or badly: close, and start the next one. */
    private void next(Worker w, long now) {
        close(w);
        w.exchanges++;
        start(w, now);
    }

    private void closeOverdue(long now) {
        for (Worker w : workers) {
            if (w.busy() && now - w.started > timeout) {
                if (w.connecting) {
                    connectFailed(new IOException("no answer within " + Report.duration(timeout)));
                } else if (w.handshaking) {
                    handshakeFailed("tls: no handshake from " + tlsContext.server() + " within "
                            + Report.duration(timeout));
                } else {
                    tally.add(Count.ERRORS);
                    problems.add("no reply within " + Report.duration(timeout));
                }
                next(w, now);
            }
        }
    }

    private static void close(Worker w) {
        w.connecting = false;
        w.handshaking = false;
        if (w.tls != null) {
            w.tls.close();
            w.tls = null;
        }
        if (w.key != null) {
            w.key.cancel();
            w.key = null;
        }
        if (w.channel != null) {
            try {
                w.channel.close();
            } catch (IOException e) {
                // closing is all that was left to do
            }
            w.channel = null;
        }
    }

    @Override
    void closeAll() {
        for (Worker w : workers) {
            close(w);
        }
    }
}
