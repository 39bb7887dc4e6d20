package upcase.udp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import upcase.net.ClientTerminal;

/**
 * The textbook UDPClient as a filter: each line of input goes to the server as one datagram
 * (without its line terminator, as the textbook sends it), and each reply is written out as a
 * line. For a person at a terminal it prompts and prefixes replies like the textbook; for a
 * pipe it writes the replies' bytes only.
 */
public final class UdpLineClient {
    private static final byte[] PROMPT = ClientTerminal.PROMPT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY_PREFIX = ClientTerminal.REPLY_PREFIX.getBytes(StandardCharsets.UTF_8);

    /**
     * @param server where the lines go
     * @param timeout how long each try waits for a reply
     * @param retries how many times a line is sent again when no reply came
     * @param interactive prompt before each line and prefix each reply (stdin is a terminal)
     * @param once send one line, then stop
     */
    public record Options(InetSocketAddress server, Duration timeout, int retries, boolean interactive, boolean once) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
        /** Three tries in all. */
        public static final int DEFAULT_RETRIES = 2;

        public Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    private UdpLineClient() {}

    /**
     * Sends {@code stdin}'s lines until its end (or one line, with {@code once}).
     *
     * @return 0 when every line got its reply, 1 when any did not or was too long for a datagram
     */
    public static int run(Options options, InputStream stdin, OutputStream stdout, PrintStream stderr) {
        boolean allAnswered = true;
        try (UdpClient client = new UdpClient(options.server(), options.timeout(), options.retries())) {
            LineReader lines = new LineReader(stdin, Datagrams.MAX_PAYLOAD);
            OutputStream out = new BufferedOutputStream(stdout, REPLY_PREFIX.length + Datagrams.MAX_PAYLOAD + 1);
            for (long number = 1; ; number++) {
                if (options.interactive()) {
                    out.write(PROMPT);
                    out.flush();
                }
                LineReader.Line line = lines.next();
                if (line == null) {
                    if (options.interactive()) {
                        out.write('\n'); // end the prompt's line, so the shell's prompt starts on its own
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
                        byte[] reply = client.request(line.bytes());
                        if (options.interactive()) {
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
                if (options.once()) {
                    break;
                }
            }
        } catch (IOException e) {
            stderr.println("upcase: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
        return allAnswered ? 0 : 1;
    }
}
