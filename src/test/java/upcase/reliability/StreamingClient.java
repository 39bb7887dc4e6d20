package upcase.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection that streams a line over and over, in bursts of 100, from one thread, and
 * checks every reply byte on another until the server ends the connection (a drain). The line
 * must be ASCII: a drain may end the stream anywhere, and a reply byte must then stand for
 * exactly one request byte. Platform threads: a virtual thread writing in a tight loop is never
 * preempted, and writers that fill both carriers would starve the readers.
 */
final class StreamingClient implements AutoCloseable {
    private final Socket socket;
    private final byte[] reply;
    private final AtomicLong received = new AtomicLong();
    private final Thread writer;
    private final Thread reader;
    private volatile Throwable failure;

    StreamingClient(int port, byte[] line, byte[] reply) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        this.reply = reply;
        socket.setSoTimeout(60_000);
        byte[] burst = new byte[line.length * 100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(line, 0, burst, i * line.length, line.length);
        }
        writer = Thread.ofPlatform().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                while (true) {
                    out.write(burst);
                }
            } catch (IOException e) {
                // the server drained and closed: stop sending, as a client does
            }
        });
        reader = Thread.ofPlatform().start(this::read);
    }

    private void read() {
        try {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[16 * 1024];
            long at = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != reply[(int) ((at + i) % reply.length)]) {
                        throw new AssertionError("reply byte " + (at + i) + " is wrong");
                    }
                }
                at += n;
                received.addAndGet(n);
            }
            socket.close(); // seen the server's end
            writer.join();
        } catch (IOException | AssertionError | InterruptedException e) {
            failure = e;
        }
    }

    /** Reply bytes received and checked so far. */
    long received() {
        return received.get();
    }

    /** Waits until the server has ended the connection; returns the reply bytes, all checked. */
    long awaitEnd(Duration timeout) throws InterruptedException {
        if (!reader.join(timeout)) {
            throw new AssertionError("the server did not end the connection within " + timeout);
        }
        if (failure != null) {
            throw new AssertionError("streaming client: " + failure, failure);
        }
        return received.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
