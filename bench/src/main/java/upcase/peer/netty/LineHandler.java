package upcase.peer.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * TCP: after a {@code LineBasedFrameDecoder} (delimiter kept), answers each line with its
 * transform. One {@code write} per line, one {@code flush} per read burst (channelReadComplete),
 * so a pipelined burst of lines leaves in one {@code writev}. Backpressure: while the outbound
 * buffer is above its high water mark, the channel stops reading. Half-close: when the client
 * shuts down its side, everything written is flushed, then the connection closes.
 * Stateless, so one instance serves every connection.
 */
@Sharable
final class LineHandler extends ChannelInboundHandlerAdapter {
    private final UpperCase transform;

    LineHandler(UpperCase transform) {
        this.transform = transform;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(transform.apply(ctx.alloc(), (ByteBuf) msg), ctx.voidPromise());
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
            // Make sure what is queued is on its way; reading resumes below the low water mark.
            ctx.flush();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the peer, or a line over the frame limit: this connection ends, quietly.
        ctx.close();
    }
}
