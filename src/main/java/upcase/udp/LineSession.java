package upcase.udp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import upcase.net.ClientTerminal;
import upcase.net.SocketAddresses;

/**
 * The textbook UDPClient as a filter: each line of input goes to the server as one datagram
 * (without its line terminator, as the textbook sends it), and each reply is written out as a
 * line. For a person at a terminal it prompts and prefixes replies like the textbook; for a pipe
 * it writes the replies' bytes only.
 */
final class LineSession {
    private static final byte[] PROMPT = ClientTerminal.PROMPT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY_PREFIX = ClientTerminal.REPLY_PREFIX.getBytes(StandardCharsets.UTF_8);

    private final UdpClient client;
    private final boolean interactive;
    private final boolean once;

    LineSession(UdpClient client, boolean interactive, boolean once) {
        this.client = client;
        this.interactive = interactive;
        this.once = once;
    }

    /** @return 0 when every line got its reply, 1 when any did not or was too long for a datagram */
    int run(InputStream stdin, OutputStream stdout, PrintStream stderr) throws IOException {
        boolean allAnswered = true;
        LineReader lines = new LineReader(stdin, Datagrams.MAX_PAYLOAD);
        OutputStream out = new BufferedOutputStream(stdout, REPLY_PREFIX.length + Datagrams.MAX_PAYLOAD + 1);
        for (long number = 1; ; number++) {
            if (interactive) {
                out.write(PROMPT);
                out.flush();
            }
            LineReader.Line line = lines.next();
            if (line == null) {
                if (interactive) {
                    out.write('\n'); // leave the shell prompt on a line of its own
                    out.flush();
                }
                break;
            }
            if (line.tooLong()) {
                stderr.println("upcase: line " + number + " is " + line.length()
                        + " bytes; a UDP datagram holds at most " + Datagrams.MAX_PAYLOAD);
                allAnswered = false;
            } else {
                try {
                    byte[] reply = request(line.bytes());
                    if (interactive) {
                        out.write(REPLY_PREFIX);
                    }
                    out.write(reply);
                    out.write('\n');
                    out.flush();
                } catch (NoReplyException e) {
                    stderr.println("upcase: " + e.getMessage());
                    allAnswered = false;
                }
            }
            if (once) {
                break;
            }
        }
        return allAnswered ? 0 : 1;
    }

    /** A socket error other than silence ends the session; its message names the server. */
    private byte[] request(byte[] payload) throws IOException {
        try {
            return client.request(payload);
        } catch (NoReplyException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("udp to " + SocketAddresses.format(client.server()) + ": " + e.getMessage(), e);
        }
    }
}
