package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * {@code upcase bench udp}: each socket keeps {@code depth} datagrams in flight. A datagram with
 * no reply within the timeout is lost; a reply that comes later is counted as late (and its
 * datagram stays lost), never as a success. Replies are matched to their datagram by the tag they
 * carry (the socket's id and the datagram's number), so reordering is no error.
 */
final class UdpLoad extends Loop {
    /** One socket, connected to the server (so the kernel drops datagrams from anyone else). */
    static final class Sock {
        final int id;
        final int unit;
        final long[] slotLine;
        final long[] slotDue;
        final long[] slotSent;
        /** Datagrams counted lost, by number: a reply to one of them is late, any other unknown reply an error. */
        final BitSet lost = new BitSet();
        DatagramChannel channel;
        SelectionKey key;
        long next;
        int inFlight;
        boolean writeInterest;

        Sock(int id, int unit, int depth) {
            this.id = id;
            this.unit = unit;
            this.slotLine = new long[depth];
            this.slotDue = new long[depth];
            this.slotSent = new long[depth];
            Arrays.fill(slotLine, -1);
        }
    }

    /** Socket buffers: room for bursts of replies while the thread is busy (capped by net.core.rmem_max). */
    private static final int SOCKET_BUFFER = 4 << 20;

    private final InetSocketAddress target;
    private final Payload payload;
    private final Payload.Checker checker;
    private final int size;
    private final int depth;
    private final long timeout;
    private final long housekeeping;
    private final int threads;
    private final double rate;
    private final List<Sock> socks = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65_536);
    private final ByteBuffer writeBuffer;
    private boolean sending;

    UdpLoad(int index, int threads, Control control, Problems problems, InetSocketAddress target, long timeout,
            int[] ids, Payload payload, int depth, double rate) throws IOException {
        super(index, control, problems);
        this.target = target;
        this.payload = payload;
        this.checker = payload.checker();
        this.size = payload.size();
        this.depth = depth;
        this.timeout = timeout;
        this.housekeeping = Math.max(1_000_000, Math.min(HOUSEKEEPING, timeout / 4));
        this.threads = threads;
        this.rate = rate;
        this.writeBuffer = ByteBuffer.allocateDirect(size);
        for (int unit = 0; unit < ids.length; unit++) {
            socks.add(new Sock(ids[unit], unit, depth));
        }
    }

    @Override
    void body() throws IOException, InterruptedException {
        for (Sock s : socks) {
            open(s);
        }
        signalReady();
        if (!control.awaitBegin()) {
            return;
        }
        scheduled(rate, threads, socks.size(), "udp", this::traffic);
    }

    private void open(Sock s) {
        try {
            s.channel = DatagramChannel.open();
            s.channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            s.channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            s.channel.connect(target);
            s.channel.configureBlocking(false);
            s.key = s.channel.register(selector, SelectionKey.OP_READ, s);
            tally.add(Count.CONNECTS);
        } catch (IOException e) {
            connectFailed(e);
            close(s);
        }
    }

    private void traffic(Ticker ticker) throws IOException {
        sending = true;
        long now = System.nanoTime();
        for (Sock s : socks) {
            pump(s, now);
        }
        long dispatched = schedule == null ? 0 : schedule.dueTotal(now);
        long nextHousekeeping = now + housekeeping;
        while (!control.cancelled()) {
            now = System.nanoTime();
            if (sending && schedule != null) {
                long at = now;
                dispatched = dispatch(schedule, ticker, dispatched, Math.min(now, stopAt - 1), socks.size(),
                        unit -> pump(socks.get(unit), at));
            }
            if (sending && now - stopAt >= 0) {
                sending = false;
                if (schedule != null) {
                    for (Sock s : socks) {
                        tally.add(Count.UNSENT, Math.max(0, schedule.due(s.unit, stopAt - 1) - s.next));
                    }
                }
            }
            if (now - nextHousekeeping >= 0) {
                expire(now);
                nextHousekeeping = now + housekeeping;
            }
            if (!sending && nothingOwed()) {
                return;
            }
            select(sending ? Math.min(nextHousekeeping, stopAt) : nextHousekeeping, this::event);
        }
    }

    private boolean nothingOwed() {
        for (Sock s : socks) {
            if (s.channel != null && s.inFlight > 0) {
                return false;
            }
        }
        return true;
    }

    /** Datagrams unanswered for longer than the timeout are lost; their places in the window free up. */
    private void expire(long now) {
        for (Sock s : socks) {
            if (s.inFlight == 0) {
                continue;
            }
            for (int i = 0; i < depth; i++) {
                if (s.slotLine[i] >= 0 && now - s.slotSent[i] > timeout) {
                    lose(s, i);
                }
            }
            pump(s, now);
        }
    }

    private void lose(Sock s, int slot) {
        s.lost.set((int) s.slotLine[slot]);
        s.slotLine[slot] = -1;
        s.inFlight--;
        tally.add(Count.LOST);
    }

    private void event(SelectionKey key) {
        Sock s = (Sock) key.attachment();
        if (key.isValid() && key.isReadable()) {
            read(s);
        }
        if (s.channel != null && key.isValid() && key.isWritable()) {
            pump(s, System.nanoTime());
        }
    }

    private void read(Sock s) {
        while (s.channel != null) {
            readBuffer.clear();
            int n;
            try {
                n = s.channel.read(readBuffer);
            } catch (PortUnreachableException e) {
                tally.add(Count.ERRORS);
                problems.add("read: port unreachable (ICMP): nothing listens there?");
                continue;
            } catch (IOException e) {
                failed(e, "read");
                close(s);
                return;
            }
            if (n <= 0) {
                break;
            }
            readBuffer.flip();
            reply(s, System.nanoTime());
        }
        pump(s, System.nanoTime());
    }

    private void reply(Sock s, long now) {
        long seq = payload.seqOf(readBuffer);
        if (seq < 0 || seq >>> 32 != s.id) {
            tally.add(Count.MISMATCHES);
            problems.add(seq < 0 ? "reply names no datagram (its tag is garbled)" : "reply to another socket's datagram");
            return;
        }
        long line = seq & 0xffff_ffffL;
        boolean right = readBuffer.remaining() == size && checker.mismatch(seq, 0, readBuffer, size) < 0;
        int slot = find(s, line);
        if (slot >= 0 && now - s.slotSent[slot] > timeout) {
            lose(s, slot); // not yet expired by housekeeping, but just as lost
            slot = -1;
        }
        if (slot >= 0) {
            s.slotLine[slot] = -1;
            s.inFlight--;
            if (right) {
                record(now - s.slotDue[slot]);
                if (schedule != null) {
                    recordRaw(now - s.slotSent[slot]);
                }
                tally.add(Count.REPLIES);
                tally.add(Count.REPLY_BYTES, size);
            } else {
                tally.add(Count.MISMATCHES);
                problems.add("reply differs from the expected bytes");
            }
        } else if (line < s.next && s.lost.get((int) line)) {
            s.lost.clear((int) line);
            tally.add(Count.LATE);
            if (!right) {
                tally.add(Count.MISMATCHES);
                problems.add("late reply differs from the expected bytes");
            }
        } else {
            tally.add(Count.ERRORS);
            problems.add("reply to a datagram not in flight (a duplicate?)");
        }
    }

    private int find(Sock s, long line) {
        for (int i = 0; i < depth; i++) {
            if (s.slotLine[i] == line) {
                return i;
            }
        }
        return -1;
    }

    private void pump(Sock s, long now) {
        if (s.channel == null) {
            return;
        }
        long limit = Long.MAX_VALUE;
        if (schedule != null) {
            limit = schedule.due(s.unit, Math.min(now, stopAt - 1));
        }
        while (sending && s.inFlight < depth && s.next < limit) {
            long seq = ((long) s.id << 32) | s.next;
            writeBuffer.clear();
            payload.fill(seq, 0, writeBuffer);
            writeBuffer.flip();
            int n;
            try {
                n = s.channel.write(writeBuffer);
            } catch (PortUnreachableException e) {
                tally.add(Count.ERRORS);
                problems.add("write: port unreachable (ICMP): nothing listens there?");
                return;
            } catch (IOException e) {
                failed(e, "write");
                close(s);
                return;
            }
            if (n == 0) {
                wantWrite(s, true);
                return;
            }
            int slot = find(s, -1);
            s.slotLine[slot] = s.next;
            s.slotSent[slot] = now;
            long due = now;
            if (schedule != null) {
                due = schedule.intended(s.unit, s.next);
                recordLag(now - due);
            }
            s.slotDue[slot] = due;
            s.inFlight++;
            s.next++;
            tally.add(Count.SENT);
        }
        wantWrite(s, false);
    }

    private void wantWrite(Sock s, boolean want) {
        if (s.writeInterest != want) {
            s.writeInterest = want;
            s.key.interestOps(want ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void close(Sock s) {
        if (s.key != null) {
            s.key.cancel();
        }
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException e) {
                // closing is all that was left to do
            }
        }
        s.channel = null;
        s.key = null;
        s.inFlight = 0;
    }

    @Override
    void closeAll() {
        for (Sock s : socks) {
            close(s);
        }
    }
}
