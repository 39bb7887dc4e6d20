package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import upcase.net.Engine;
import upcase.tls.ClientContext;

/**
 * {@code upcase bench tcp}: each connection keeps {@code depth} lines in flight (pipelined), or
 * with a rate, sends its lines when they are due and at most {@code depth} at a time. Each reply
 * is checked byte for byte as it arrives; its latency runs from when its line's first byte was
 * written, or with a rate from when the line was due. With TLS the same holds for the
 * plaintext: a line counts as written once TLS has taken its first byte.
 */
final class TcpLoad extends ConnectionLoop {
    private final int depth;
    private final int threads;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final double rate;
    private boolean sending;

    TcpLoad(int index, int threads, Control control, Problems problems, InetSocketAddress target, long timeout,
            int maxPending, int[] ids, Payload payload, int depth, double rate, ClientContext tls, Engine engine)
            throws IOException {
        super(index, control, problems, target, timeout, maxPending, ids, payload, depth, tls, engine);
        this.depth = depth;
        this.threads = threads;
        this.rate = rate;
    }

    @Override
    void body() throws IOException, InterruptedException {
        connectAll();
        signalReady();
        if (!control.awaitBegin()) {
            return;
        }
        scheduled(rate, threads, conns.size(), "tcp", this::traffic);
    }

    private void traffic(Ticker ticker) throws IOException {
        startReading();
        sending = true;
        long now = System.nanoTime();
        for (Conn c : conns) {
            pump(c, now);
        }
        long dispatched = schedule == null ? 0 : schedule.dueTotal(now);
        long nextHousekeeping = now + HOUSEKEEPING;
        while (open > 0 && !control.cancelled()) {
            now = System.nanoTime();
            if (sending && schedule != null) {
                long at = now;
                dispatched = dispatch(schedule, ticker, dispatched, Math.min(now, stopAt - 1), conns.size(),
                        unit -> pump(conns.get(unit), at));
            }
            if (sending && now - stopAt >= 0) {
                stopSending();
            }
            if (now - nextHousekeeping >= 0) {
                closeOverdue(now);
                nextHousekeeping = now + HOUSEKEEPING;
            }
            await(sending ? Math.min(nextHousekeeping, stopAt) : nextHousekeeping, this::event);
        }
    }

    /** From now on only unfinished lines are completed; connections close once nothing is owed. */
    private void stopSending() {
        sending = false;
        for (Conn c : conns) {
            if (schedule != null) {
                tally.add(Count.UNSENT, Math.max(0, schedule.due(c.unit, stopAt - 1) - c.lines.started()));
            }
            if (c.isOpen() && c.lines.inFlight() == 0) {
                close(c);
            }
        }
    }

    private void closeOverdue(long now) {
        for (Conn c : conns) {
            if (c.isOpen() && c.lines.inFlight() > 0 && now - c.since > timeout) {
                tally.add(Count.ERRORS);
                problems.add("no reply within " + Report.duration(timeout) + " (" + c.lines.inFlight() + " owed)");
                close(c);
            }
        }
    }

    private void event(Conn c, boolean readable, boolean writable) {
        if (readable) {
            read(c);
        }
        if (c.isOpen() && writable) {
            pump(c, System.nanoTime());
        }
    }

    private void read(Conn c) {
        readBuffer.clear();
        int n;
        try {
            n = read(c, readBuffer);
        } catch (IOException e) {
            failed(e, "read");
            close(c);
            return;
        }
        long now = System.nanoTime();
        if (n < 0) {
            long owed = c.lines.inFlight();
            if (owed > 0 || sending) {
                tally.add(Count.ERRORS);
                problems.add(owed > 0 ? "closed by the server with replies owed" : "closed by the server during the run");
            }
            close(c);
            return;
        }
        readBuffer.flip();
        LineStream lines = c.lines;
        while (readBuffer.hasRemaining()) {
            switch (lines.read(readBuffer)) {
                case LineStream.OK -> {
                    int slot = (int) ((lines.replied() - 1) % depth);
                    record(now - c.sendTimes[slot]);
                    if (schedule != null) {
                        recordRaw(now - c.wroteTimes[slot]);
                    }
                    tally.add(Count.REPLIES);
                }
                case LineStream.MISMATCH -> {
                    tally.add(Count.MISMATCHES);
                    problems.add("reply differs from the expected bytes");
                }
                case LineStream.UNSOLICITED -> {
                    tally.add(Count.ERRORS);
                    problems.add("reply bytes for a line not sent");
                    close(c);
                    return;
                }
                default -> { }
            }
        }
        tally.add(Count.REPLY_BYTES, n);
        c.since = now;
        if (!sending && lines.inFlight() == 0) {
            close(c);
        } else {
            pump(c, now);
        }
    }

    /** Writes what may be written now: the window is {@code depth} lines, and with a rate only lines already due. */
    private void pump(Conn c, long now) {
        if (!c.isOpen()) {
            return;
        }
        if (flushing(c)) {
            // TLS ciphertext from an earlier write comes first; an empty write sends only that.
            try {
                write(c, EMPTY);
            } catch (IOException e) {
                failed(e, "write");
                close(c);
                return;
            }
            if (flushing(c)) {
                wantWrite(c, true);
                return;
            }
        }
        LineStream lines = c.lines;
        long limit;
        if (!sending) {
            limit = lines.started();
        } else {
            limit = lines.replied() + depth;
            if (schedule != null) {
                limit = Math.min(limit, schedule.due(c.unit, Math.min(now, stopAt - 1)));
            }
        }
        while (lines.sent() < limit) {
            long before = lines.started();
            if (before == lines.replied()) {
                c.since = now; // nothing was owed: the wait for a reply starts now
            }
            writeBuffer.clear();
            lines.fill(writeBuffer, limit);
            writeBuffer.flip();
            int n;
            try {
                n = write(c, writeBuffer);
            } catch (IOException e) {
                failed(e, "write");
                close(c);
                return;
            }
            lines.wrote(n);
            long started = lines.started();
            for (long line = before; line < started; line++) {
                long sendTime = now;
                if (schedule != null) {
                    sendTime = schedule.intended(c.unit, line);
                    recordLag(now - sendTime);
                    c.wroteTimes[(int) (line % depth)] = now;
                }
                c.sendTimes[(int) (line % depth)] = sendTime;
            }
            tally.add(Count.SENT, started - before);
            if (writeBuffer.hasRemaining() || flushing(c)) {
                wantWrite(c, true);
                return;
            }
        }
        wantWrite(c, false);
    }
}
