package upcase.nativeio;

import java.net.InetSocketAddress;

/**
 * Datagrams received into native memory, each in a numbered slot, as the engine holds them
 * ({@link DatagramBatch} for recvmmsg, {@link UringDatagrams} for io_uring's provided buffers):
 * what answering one needs, read without allocation but for {@link #source}. The owner thread's.
 */
public interface DatagramSlots {
    /** Copies the payload in {@code slot} into {@code into} and returns its length. */
    int copyPayload(int slot, byte[] into);

    /** The source port; no allocation. */
    int sourcePort(int slot);

    /** Whether the datagram did not fit its slot: cut by the kernel, or exactly filling it (cannot be told apart). */
    boolean truncated(int slot);

    /** The source address, decoded: for a drop, a limit, a log line. */
    InetSocketAddress source(int slot);
}
