package upcase.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import upcase.nativeio.NativeDatagramSocket;
import upcase.net.Engine;

/**
 * {@code upcase bench udp}: each socket keeps {@code depth} datagrams in flight. A datagram with
 * no reply within the timeout is lost; a reply that comes later is counted as late (and its
 * datagram stays lost), never as a success. Replies are matched to their datagram by the tag they
 * carry (the socket's id and the datagram's number), so reordering is no error. How datagrams
 * move is the {@link DatagramIo} engine's: NIO one at a time, or epoll in batches.
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
        /** Between a successful open and the close. */
        boolean open;
        /** The NIO engine's channel and key. */
        DatagramChannel channel;
        SelectionKey key;
        /** The epoll engine's socket. */
        NativeDatagramSocket socket;
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
    static final int SOCKET_BUFFER = 4 << 20;

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
    private final DatagramIo io;
    private boolean sending;

    UdpLoad(int index, int threads, Control control, Problems problems, InetSocketAddress target, long timeout,
            int[] ids, Payload payload, int depth, double rate, Engine engine) throws IOException {
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
        for (int unit = 0; unit < ids.length; unit++) {
            socks.add(new Sock(ids[unit], unit, depth));
        }
        this.io = engine == Engine.EPOLL ? new EpollDatagrams(socks, size, depth) : new NioDatagrams(selector, size);
    }

    @Override
    void wakeup() {
        io.wakeup();
    }

    @Override
    void body() throws IOException, InterruptedException {
        io.start();
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
            io.open(s, target);
            s.open = true;
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
            io.await(sending ? Math.min(nextHousekeeping, stopAt) : nextHousekeeping, this::event);
        }
    }

    private boolean nothingOwed() {
        for (Sock s : socks) {
            if (s.open && s.inFlight > 0) {
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

    private void event(Sock s, boolean readable, boolean writable) {
        if (readable && s.open) {
            read(s);
        }
        if (writable && s.open) {
            pump(s, System.nanoTime());
        }
    }

    private void read(Sock s) {
        while (s.open) {
            int n;
            try {
                n = io.receive(s);
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
            long now = System.nanoTime();
            for (int k = 0; k < n; k++) {
                reply(s, io.incoming(k), now);
            }
        }
        pump(s, System.nanoTime());
    }

    private void reply(Sock s, ByteBuffer readBuffer, long now) {
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

    /** Fills the window: up to the engine's batch of datagrams per send, each one's fate booked alone. */
    private void pump(Sock s, long now) {
        if (!s.open) {
            return;
        }
        long limit = Long.MAX_VALUE;
        if (schedule != null) {
            limit = schedule.due(s.unit, Math.min(now, stopAt - 1));
        }
        while (sending && s.inFlight < depth && s.next < limit) {
            int count = (int) Math.min(Math.min(depth - s.inFlight, io.batch()), limit - s.next);
            for (int k = 0; k < count; k++) {
                ByteBuffer out = io.outgoing(k);
                payload.fill(((long) s.id << 32) | (s.next + k), 0, out);
                out.flip();
            }
            try {
                io.send(s, count);
            } catch (IOException e) {
                failed(e, "write");
                close(s);
                return;
            }
            // Numbers up to the last datagram that went (or was refused) are used; a blocked tail is sent again.
            int used = 0;
            boolean blocked = false;
            boolean refused = false;
            for (int k = 0; k < count; k++) {
                switch (io.outcome(k)) {
                    case DatagramIo.SENT -> {
                        sent(s, s.next + k, now);
                        used = k + 1;
                    }
                    case DatagramIo.REFUSED -> {
                        tally.add(Count.ERRORS);
                        problems.add("write: port unreachable (ICMP): nothing listens there?");
                        used = k + 1;
                        refused = true;
                    }
                    default -> blocked = true;
                }
            }
            s.next += used;
            if (blocked) {
                io.wantWrite(s, true);
                return;
            }
            if (refused) {
                break; // as after any error: the next event or housekeeping tries again
            }
        }
        io.wantWrite(s, false);
    }

    private void sent(Sock s, long line, long now) {
        int slot = find(s, -1);
        s.slotLine[slot] = line;
        s.slotSent[slot] = now;
        long due = now;
        if (schedule != null) {
            due = schedule.intended(s.unit, line);
            recordLag(now - due);
        }
        s.slotDue[slot] = due;
        s.inFlight++;
        tally.add(Count.SENT);
    }

    private void close(Sock s) {
        io.close(s);
        s.open = false;
        s.inFlight = 0;
    }

    @Override
    void closeAll() {
        for (Sock s : socks) {
            close(s);
        }
        io.close();
    }
}
