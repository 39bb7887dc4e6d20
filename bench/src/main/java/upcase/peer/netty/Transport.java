package upcase.peer.netty;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The native transports the peer can run on ({@code --transport}), both Linux-only: the two that
 * issue 13 measures upcase against. Everything that differs between them is here; the pipeline,
 * options and handlers are the same.
 */
enum Transport {
    /** epoll, level-triggered; datagrams read with recvmmsg and sent with sendmmsg. */
    EPOLL("epoll", EpollServerSocketChannel.class, EpollDatagramChannel.class, EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE,
            Epoll::isAvailable, Epoll::unavailabilityCause, EpollIoHandler::newFactory),
    /** io_uring (kernel 5.x and later; Netty picks multishot accept and receive where the kernel has them). */
    IO_URING("io_uring", IoUringServerSocketChannel.class, IoUringDatagramChannel.class,
            IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, IoUring::isAvailable, IoUring::unavailabilityCause,
            IoUringIoHandler::newFactory);

    private final String label;
    final Class<? extends ServerChannel> serverChannel;
    final Class<? extends DatagramChannel> datagramChannel;
    /** Slot size of a batched datagram read: each datagram gets a slot of its own. */
    final ChannelOption<Integer> maxDatagramPayload;
    private final Supplier<Boolean> available;
    private final Supplier<Throwable> unavailabilityCause;
    private final Supplier<IoHandlerFactory> handlers;

    Transport(String label, Class<? extends ServerChannel> serverChannel, Class<? extends DatagramChannel> datagramChannel,
            ChannelOption<Integer> maxDatagramPayload, Supplier<Boolean> available, Supplier<Throwable> unavailabilityCause,
            Supplier<IoHandlerFactory> handlers) {
        this.label = label;
        this.serverChannel = serverChannel;
        this.datagramChannel = datagramChannel;
        this.maxDatagramPayload = maxDatagramPayload;
        this.available = available;
        this.unavailabilityCause = unavailabilityCause;
        this.handlers = handlers;
    }

    /** The name on the command line and in the start line. */
    String label() {
        return label;
    }

    static Transport of(String label) {
        return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("--transport: epoll or io_uring, not " + label));
    }

    /** Null when this host can run the transport; otherwise why not, in one line. */
    String unavailable() {
        if (available.get()) {
            return null;
        }
        Throwable cause = unavailabilityCause.get();
        return "the " + label + " transport is not available on this host: "
                + (cause == null ? "no cause given" : cause.toString());
    }

    IoHandlerFactory ioHandlerFactory() {
        return handlers.get();
    }
}
