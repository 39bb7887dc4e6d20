package upcase.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import upcase.net.ClientTerminal;
import upcase.net.Durations;
import upcase.net.SocketAddresses;
import upcase.text.LineFeeds;
import upcase.tls.ClientTls;

/**
 * The TCP client. Piped, it streams standard input to the server on one thread while another
 * copies replies to standard output, so lines are pipelined and any bytes pass; a person at a
 * terminal gets the textbook's prompt and {@code FROM SERVER: } lines instead.
 */
public final class TcpClient {
    private static final byte[] PROMPT = ClientTerminal.PROMPT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY_PREFIX = ClientTerminal.REPLY_PREFIX.getBytes(StandardCharsets.UTF_8);

    private final TcpClientOptions options;
    private final Socket socket;
    private final OutputStream stdout;
    private final PrintStream stderr;
    private final Exchange exchange = new Exchange();

    private TcpClient(TcpClientOptions options, Socket socket, OutputStream stdout, PrintStream stderr) {
        this.options = options;
        this.socket = socket;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Connects, sends standard input, writes the replies, and returns the exit code: 0 when every
     * line was answered, 1 otherwise (the reason is one line on {@code stderr}).
     *
     * @throws IOException if the server cannot be reached; the message names it
     */
    public static int run(TcpClientOptions options, InputStream stdin, OutputStream stdout, PrintStream stderr)
            throws IOException {
        try (Socket socket = open(options)) {
            TcpClient client = new TcpClient(options, socket, stdout, stderr);
            InputStream replies = socket.getInputStream(); // before the sender can shut input down
            // A platform daemon thread: one thread needs no virtual-thread scheduler, whose start-up
            // a client would pay for nothing; daemon, so a sender blocked on a terminal never
            // keeps the process alive once the replies are in.
            Thread sender = new Thread(new Sender(client, stdin), "upcase-tcp-client-sender");
            sender.setDaemon(true);
            sender.start();
            int status = client.receive(replies);
            if (status == 0 && !options.interactive() && !options.once()) {
                // Piped: the sender has finished (complete() needs it); join so its failure is not missed.
                sender.join();
            }
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** A class rather than a lambda: the first lambda of a process costs start-up (docs/PERFORMANCE.md). */
    private record Sender(TcpClient client, InputStream stdin) implements Runnable {
        @Override
        public void run() {
            client.send(stdin);
        }
    }

    /** Connects, and with TLS runs the handshake before any input is read. */
    private static Socket open(TcpClientOptions options) throws IOException {
        Socket plain = connect(options);
        if (options.tls() == null) {
            return plain;
        }
        // Loaded only here: a plain client never pays for the TLS classes' start-up.
        return ClientTls.handshake(plain, options.host(), server(options), options.tls(), options.timeout());
    }

    static Socket connect(TcpClientOptions options) throws IOException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(options.host());
        } catch (UnknownHostException e) {
            throw new UnknownHostException("unknown host " + options.host());
        }
        IOException last = null;
        // localhost may be ::1 and 127.0.0.1 while the server listens on one of them: try each.
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(address, options.port()), (int) options.timeout().toMillis());
                socket.setSoTimeout((int) options.timeout().toMillis());
                return socket;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        }
        ConnectException failure = new ConnectException("cannot connect to " + server(options) + ": " + last.getMessage());
        failure.initCause(last);
        throw failure;
    }

    private static String server(TcpClientOptions options) {
        return SocketAddresses.hostPort(options.host(), options.port());
    }

    /** On the sender thread: standard input to the server, then a half-close. */
    private void send(InputStream stdin) {
        String failure = null;
        try {
            OutputStream out = socket.getOutputStream();
            if (options.interactive() || options.once()) {
                converse(new LineInput(stdin), out);
            } else {
                stream(stdin, out);
            }
        } catch (IOException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            failure = "interrupted";
        }
        // Done before the half-close goes out: a server may answer it by closing at once, and the
        // receiver must then already know that nothing more was to be sent.
        exchange.sendingDone(failure);
        if (failure == null) {
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                // the connection is gone; the receiver reports what it sees
            }
        }
        if (exchange.complete()) {
            // All answered: wake the receiver even if the server keeps the connection open.
            finishInput();
        }
    }

    private void stream(InputStream stdin, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = stdin.read(buf)) > 0) {
            out.write(buf, 0, n);
            exchange.sent(buf, 0, n);
        }
    }

    private void converse(LineInput lines, OutputStream out) throws IOException, InterruptedException {
        do {
            if (options.interactive()) {
                writeOut(PROMPT, 0, PROMPT.length);
            }
            if (!lines.copyLine(out)) {
                if (options.interactive()) {
                    writeOut(new byte[] {'\n'}, 0, 1); // leave the shell prompt on a line of its own
                }
                return;
            }
            exchange.lineSent();
            if (!exchange.awaitReplies()) {
                return;
            }
        } while (!options.once());
    }

    /** On the calling thread: replies to standard output until the exchange is complete or fails. */
    private int receive(InputStream in) throws IOException, InterruptedException {
        byte[] buf = new byte[64 * 1024];
        boolean lineStart = true;
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    if (exchange.replyOwed()) {
                        return fail("no reply from " + server(options) + " within " + Durations.format(options.timeout()));
                    }
                    continue; // nothing is owed: someone is still typing
                } catch (SocketException e) {
                    return fail("connection to " + server(options) + " failed: " + e.getMessage());
                } catch (SSLException e) {
                    return fail(ClientTls.describe(e, server(options)));
                }
                if (n < 0) {
                    if (options.interactive() && !lineStart) {
                        writeOut(new byte[] {'\n'}, 0, 1);
                    }
                    return closedByServer();
                }
                int end = options.once() ? firstLineEnd(buf, n) : n;
                long lineFeeds = options.interactive() ? writeWithPrefixes(buf, end, lineStart) : writeRaw(buf, end);
                if (end > 0) {
                    lineStart = buf[end - 1] == '\n';
                }
                exchange.received(lineFeeds);
                if (options.once() && lineFeeds > 0 || exchange.complete()) {
                    return 0;
                }
            }
        } finally {
            exchange.receivingDone();
        }
    }

    private int closedByServer() throws InterruptedException {
        if (!options.interactive()) {
            // The server may close right after answering, before the sender has seen the end of
            // its input (the textbook's Python server answers one recv and closes): give the
            // sender time to get there. At a terminal the sender may be waiting for a person.
            exchange.awaitSendingDone(options.timeout());
        }
        if (exchange.sendFailure() != null) {
            return fail("sending to " + server(options) + " failed: " + exchange.sendFailure());
        }
        long unanswered = exchange.unanswered();
        if (unanswered > 0) {
            return fail(server(options) + " closed the connection with " + unanswered + " line(s) unanswered");
        }
        if (!exchange.sendingDone()) {
            return fail(server(options) + " closed the connection");
        }
        return 0;
    }

    private int fail(String message) {
        stderr.println("upcase: " + message);
        return 1;
    }

    private static int firstLineEnd(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return n;
    }

    private long writeRaw(byte[] buf, int n) throws IOException {
        writeOut(buf, 0, n);
        return LineFeeds.count(buf, 0, n);
    }

    private long writeWithPrefixes(byte[] buf, int n, boolean lineStart) throws IOException {
        long lineFeeds = 0;
        int from = 0;
        synchronized (stdout) {
            for (int i = 0; i < n; i++) {
                if (lineStart) {
                    stdout.write(REPLY_PREFIX);
                    lineStart = false;
                }
                if (buf[i] == '\n') {
                    stdout.write(buf, from, i + 1 - from);
                    from = i + 1;
                    lineFeeds++;
                    lineStart = true;
                }
            }
            stdout.write(buf, from, n - from);
            stdout.flush();
        }
        return lineFeeds;
    }

    /** Both threads write here: the sender its prompts, the receiver the replies. */
    private void writeOut(byte[] buf, int from, int n) throws IOException {
        synchronized (stdout) {
            stdout.write(buf, from, n);
            stdout.flush();
        }
    }

    private void finishInput() {
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            // The receiver has already stopped: nothing left to wake.
        }
    }
}
