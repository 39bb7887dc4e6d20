package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import upcase.net.Engine;

/**
 * {@code upcase bench idle}: opens the connections, holds them without traffic until the end of
 * the hold ({@link Control#stopSending()}), then sends one line on every one and checks each
 * reply. A connection the server closes during the hold, or that does not answer, is not held.
 */
final class IdleLoad extends ConnectionLoop {
    private boolean holding = true;

    IdleLoad(int index, Control control, Problems problems, InetSocketAddress target, long timeout, int maxPending,
            int[] ids, Payload payload, Engine engine) throws IOException {
        super(index, control, problems, target, timeout, maxPending, ids, payload, 1, null, engine);
    }

    @Override
    void body() throws IOException, InterruptedException {
        connectAll();
        signalReady();
        if (!control.awaitBegin()) {
            return;
        }
        startReading(); // from now on a close by the server shows
        long holdEnd = control.stopSending();
        while (!control.cancelled() && open > 0 && System.nanoTime() - holdEnd < 0) {
            await(holdEnd, this::event);
        }
        holding = false;
        long now = System.nanoTime();
        for (Conn c : conns) {
            if (c.isOpen()) {
                c.since = now;
                write(c);
            }
        }
        long nextHousekeeping = now + HOUSEKEEPING;
        while (!control.cancelled() && open > 0) {
            now = System.nanoTime();
            if (now - nextHousekeeping >= 0) {
                for (Conn c : conns) {
                    if (c.isOpen() && now - c.since > timeout) {
                        tally.add(Count.ERRORS);
                        problems.add("no reply within " + Report.duration(timeout) + " after the hold");
                        close(c);
                    }
                }
                nextHousekeeping = now + HOUSEKEEPING;
            }
            await(nextHousekeeping, this::event);
        }
    }

    private void event(Conn c, boolean readable, boolean writable) {
        if (readable) {
            read(c);
        }
        if (c.isOpen() && writable) {
            write(c);
        }
    }

    private void write(Conn c) {
        writeBuffer.clear();
        c.lines.fill(writeBuffer, 1);
        writeBuffer.flip();
        try {
            c.lines.wrote(write(c, writeBuffer));
        } catch (IOException e) {
            failed(e, "write after the hold");
            close(c);
            return;
        }
        if (c.lines.sent() == 1) {
            tally.add(Count.SENT);
        }
        wantWrite(c, c.lines.sent() < 1);
    }

    private void read(Conn c) {
        readBuffer.clear();
        int n;
        try {
            n = read(c, readBuffer);
        } catch (IOException e) {
            failed(e, holding ? "read during the hold" : "read after the hold");
            close(c);
            return;
        }
        if (n < 0) {
            tally.add(Count.ERRORS);
            problems.add(holding ? "closed by the server during the hold" : "closed by the server before the reply");
            close(c);
            return;
        }
        readBuffer.flip();
        tally.add(Count.REPLY_BYTES, n);
        while (readBuffer.hasRemaining()) {
            int outcome = c.lines.read(readBuffer);
            if (outcome == LineStream.OK) {
                record(System.nanoTime() - c.since);
                tally.add(Count.REPLIES);
                close(c);
                return;
            } else if (outcome == LineStream.MISMATCH) {
                tally.add(Count.MISMATCHES);
                problems.add("reply differs from the expected bytes");
                close(c);
                return;
            } else if (outcome == LineStream.UNSOLICITED) {
                tally.add(Count.ERRORS);
                problems.add(holding ? "the server sent bytes during the hold" : "reply bytes for a line not sent");
                close(c);
                return;
            }
        }
    }
}
