package upcase.peer.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandlersTest {
    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; buf.release()) {
            out.append(buf.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static EmbeddedChannel lines(boolean ascii) {
        return new EmbeddedChannel(new LineBasedFrameDecoder(NettyUpcaseServer.MAX_LINE, false, false),
                new LineHandler(new UpperCase(ascii)));
    }

    @Test
    void linesCutAnywhereComeBackWhole() {
        EmbeddedChannel channel = lines(true);
        channel.writeInbound(bytes("hello\nwo"));
        channel.writeInbound(bytes("rld\r\n\nstraße\n"));
        assertEquals("HELLO\nWORLD\r\n\nSTRAßE\n", drain(channel));
        channel.finish();
    }

    @Test
    void unicodeModeMapsFully() {
        EmbeddedChannel channel = lines(false);
        channel.writeInbound(bytes("straße ﬁ i\n"), bytes("plain ascii\n"));
        assertEquals("STRASSE FI I\nPLAIN ASCII\n", drain(channel));
        channel.finish();
    }

    @Test
    void oneReplyPerDatagramWithExactlyItsPayload() {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramHandler(new UpperCase(true)));
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 9876);
        channel.writeInbound(new DatagramPacket(bytes("a much longer first datagram"), server, client));
        channel.writeInbound(new DatagramPacket(bytes("short"), server, client));
        DatagramPacket first = channel.readOutbound();
        DatagramPacket second = channel.readOutbound();
        assertEquals("A MUCH LONGER FIRST DATAGRAM", first.content().toString(StandardCharsets.UTF_8));
        assertEquals("SHORT", second.content().toString(StandardCharsets.UTF_8));
        assertEquals(client, second.recipient());
        first.release();
        second.release();
        assertNull(channel.readOutbound());
        assertFalse(channel.finish());
    }
}
