package upcase.peer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * UDP: one reply per datagram, to its sender, holding exactly the transform of its payload.
 * Replies are written as datagrams arrive and flushed once per read burst, which the epoll
 * transport sends with one {@code sendmmsg}. Netty does not send empty datagrams, so an empty
 * datagram gets no reply (the benchmark sends none).
 */
@Sharable
final class DatagramHandler extends ChannelInboundHandlerAdapter {
    /** The largest UDP payload over IPv4. */
    static final int MAX_PAYLOAD = 65_507;

    private final UpperCase transform;

    DatagramHandler(UpperCase transform) {
        this.transform = transform;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        ByteBuf reply = transform.apply(ctx.alloc(), packet.content());
        if (reply.readableBytes() > MAX_PAYLOAD) {
            reply.release();
            return;
        }
        ctx.write(new DatagramPacket(reply, packet.sender()), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (!writable) {
            ctx.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed send to one client: the socket serves everyone else, so it stays open.
    }
}
