package upcase.tcp;

import static upcase.net.LogEvent.field;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import upcase.net.Event;
import upcase.net.LogEvent;

/**
 * The NIO engine's poller: one JDK selector per loop. The selector's epoll_wait takes at most
 * 1,024 events per call, the measured tail at 10,000 connections (docs/PERFORMANCE.md).
 */
final class SelectorPoller implements Poller {
    private static final Logger LOG = System.getLogger("upcase.tcp");

    private final EventLoop loop;
    private final Selector selector;
    /** One per listener; empty once the loop stops accepting. */
    private final List<SelectionKey> acceptKeys = new ArrayList<>();

    SelectorPoller(EventLoop loop, List<Listener> listeners) throws IOException {
        this.loop = loop;
        this.selector = Selector.open();
        try {
            // Each loop registers every listening socket: the kernel wakes a loop per connection
            // and no accepted channel is handed between threads.
            for (Listener listener : listeners) {
                acceptKeys.add(((ChannelListener) listener).channel().register(selector, SelectionKey.OP_ACCEPT, listener));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void start() {
        // the selector was ready at construction
    }

    @Override
    public void poll(long timeoutMillis) throws IOException {
        selector.select(this::dispatch, timeoutMillis);
    }

    private void dispatch(SelectionKey key) {
        if (key.attachment() instanceof Connection c) {
            loop.ready(c, key.isWritable(), key.isReadable());
        } else {
            loop.accept((Listener) key.attachment());
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public Wire accept(Listener listener) throws IOException {
        ChannelListener l = (ChannelListener) listener;
        SocketChannel channel;
        try {
            channel = l.channel().accept();
        } catch (IOException e) {
            if (!l.channel().isOpen()) {
                return null;
            }
            throw e;
        }
        if (channel == null) {
            return null;
        }
        try {
            return new ChannelWire(channel);
        } catch (IOException e) {
            EventLoop.closeQuietly(channel); // closed since the accept: not this loop's to keep
            throw e;
        }
    }

    @Override
    public void register(Wire wire, Connection c) throws IOException {
        ChannelWire w = (ChannelWire) wire;
        w.channel().configureBlocking(false);
        w.channel().setOption(StandardSocketOptions.TCP_NODELAY, true); // replies must not wait for an ACK (Nagle)
        w.registered(w.channel().register(selector, SelectionKey.OP_READ, c));
    }

    @Override
    public void pauseAccepting() {
        acceptKeys.forEach(k -> k.interestOps(0));
    }

    @Override
    public void resumeAccepting() {
        acceptKeys.forEach(k -> k.interestOps(SelectionKey.OP_ACCEPT));
    }

    @Override
    public void stopAccepting() {
        acceptKeys.forEach(SelectionKey::cancel);
        acceptKeys.clear();
    }

    @Override
    public List<Connection> connections() {
        List<Connection> all = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection c) {
                all.add(c);
            }
        }
        return all;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LogEvent.of(Event.CLOSE_FAILED, "closing a selector: " + e.getMessage(),
                    field("what", "selector"), field("detail", e.getMessage())).log(LOG, Level.DEBUG);
        }
    }
}
