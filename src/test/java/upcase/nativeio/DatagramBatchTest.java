package upcase.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Assumptions;

/**
 * What {@link DatagramBatch} does with lengths the kernel could write but never should: the
 * headers are filled here by hand, as a recvmmsg would fill them, and every length that does not
 * fit the slot it describes is refused with a clear error or cut to the slot, never followed past
 * it (issue 13: "a bad length from the kernel is an error, not a read past a buffer"). No system
 * call is made; the batch's memory is real native memory in a confined arena.
 */
class DatagramBatchTest {
    private static final int SLOTS = 4;
    private static final int CAPACITY = 256;
    /** struct mmsghdr on LP64, as the batch lays it out (checked by {@link #theHeaderIsTheKernels}). */
    private static final long HEADER = 64;
    private static final long NAME = 0;
    private static final long NAMELEN = 8;
    private static final long CONTROL = 32;
    private static final long CONTROLLEN = 40;
    private static final long FLAGS = 48;
    private static final long LEN = 56;

    private Arena arena;
    private DatagramBatch batch;

    @BeforeEach
    void batch() {
        Availability here = Availability.here();
        Assumptions.assumeTrue(here.available(), () -> "no native calls here: " + here.reason());
        arena = Arena.ofConfined();
        batch = new DatagramBatch(arena, SLOTS, CAPACITY, true);
    }

    @AfterEach
    void free() {
        if (arena != null) {
            arena.close();
        }
    }

    @Test
    void theHeaderIsTheKernels() {
        assertThat(DatagramBatch.headerSize()).as("sizeof(struct mmsghdr) on LP64").isEqualTo(HEADER);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, SLOTS + 1, Integer.MAX_VALUE})
    void aReceiveCountOutsideTheSlotsIsRefused(int count) {
        assertThatThrownBy(() -> batch.received(count))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("recvmmsg reported " + count + " datagrams for " + SLOTS + " slots");
        assertThat(batch.received()).isZero();
    }

    @Test
    void aPayloadLengthBeyondTheSlotIsCutToTheSlotAndReportedTruncated() {
        fillSlot(0, (byte) 'a');
        fillSlot(1, (byte) 'b');
        for (long length : new long[] {CAPACITY, CAPACITY + 1, 65_535, 0xFFFF_FFFFL}) {
            header(0, LEN, (int) length);
            byte[] into = new byte[CAPACITY * 2];

            assertThat(batch.length(0)).as("length for msg_len " + length).isEqualTo(CAPACITY);
            assertThat(batch.truncated(0)).isTrue();
            assertThat(batch.copyPayload(0, into)).isEqualTo(CAPACITY);
            assertThat(Arrays.copyOf(into, CAPACITY)).containsOnly('a');
            assertThat(Arrays.copyOfRange(into, CAPACITY, into.length)).as("slot 1's bytes, never read").containsOnly(0);
        }
        header(0, LEN, 3);
        assertThat(batch.length(0)).isEqualTo(3);
        assertThat(batch.truncated(0)).isFalse();
    }

    @Test
    void theKernelsTruncationFlagIsBelievedWhateverTheLength() {
        header(0, LEN, 10);
        header(0, FLAGS, Libc.MSG_TRUNC);
        assertThat(batch.truncated(0)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 33, 4096, Integer.MIN_VALUE})
    void anAddressLengthOutsideItsRoomIsAnErrorNotARead(int namelen) {
        header(0, NAMELEN, namelen);
        String message = "recvmmsg reported a " + namelen + "-byte address for 32 bytes of room";

        assertThatThrownBy(() -> batch.source(0)).isInstanceOf(IllegalStateException.class).hasMessage(message);
        assertThatThrownBy(() -> batch.endOfInput(0)).isInstanceOf(IllegalStateException.class).hasMessage(message);
        assertThatThrownBy(() -> batch.queueReply(0, new byte[1], 1)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 15, 27})
    void anAddressShorterThanItsFamilyIsRefused(int namelen) {
        MemorySegment name = pointed(0, NAME, Sockaddr.CAPACITY);
        name.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) (namelen < 16 ? Libc.AF_INET : Libc.AF_INET6));
        header(0, NAMELEN, namelen);

        assertThatThrownBy(() -> batch.source(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(namelen + " bytes");
    }

    @Test
    void anEmptyAddressIsTheEndOfInput() {
        header(0, NAMELEN, 0);
        assertThat(batch.endOfInput(0)).isTrue();
        header(0, NAMELEN, Sockaddr.IN_LENGTH);
        assertThat(batch.endOfInput(0)).isFalse();
    }

    @Test
    void aReplyLongerThanTheSlotIsRefusedAndNothingQueued() {
        header(0, NAMELEN, 0);
        assertThatThrownBy(() -> batch.queueReply(0, new byte[CAPACITY + 1], CAPACITY + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage((CAPACITY + 1) + " bytes do not fit a " + CAPACITY + "-byte slot");
        assertThat(batch.queued()).isZero();
    }

    /** A well-formed packet info goes back with the reply; the same bytes under a lying length do not. */
    @ParameterizedTest
    @ValueSource(longs = {-1, 65, 1L << 40})
    void controlDataLongerThanItsRoomIsNotSentBack(long controllen) {
        header(0, NAMELEN, 0);
        header(1, NAMELEN, 0);
        for (int slot = 0; slot < 2; slot++) {
            MemorySegment control = pointed(slot, CONTROL, PacketInfo.CAPACITY);
            control.set(JAVA_LONG, 0, 28); // cmsg_len of an in_pktinfo
            control.set(JAVA_INT, 8, Libc.SOL_IP);
            control.set(JAVA_INT, 12, Libc.IP_PKTINFO);
        }
        batch.receiveHeaders.set(JAVA_LONG, CONTROLLEN, 32);
        batch.receiveHeaders.set(JAVA_LONG, HEADER + CONTROLLEN, controllen);

        batch.queueReply(0, new byte[] {'A'}, 1);
        batch.queueReply(1, new byte[] {'B'}, 1);

        assertThat(batch.sendHeaders.get(JAVA_LONG, CONTROLLEN)).as("the good one's length").isEqualTo(28);
        assertThat(batch.sendHeaders.get(ADDRESS, CONTROL)).isNotEqualTo(MemorySegment.NULL);
        assertThat(batch.sendHeaders.get(JAVA_LONG, HEADER + CONTROLLEN)).as("the lying one's").isZero();
        assertThat(batch.sendHeaders.get(ADDRESS, HEADER + CONTROL)).isEqualTo(MemorySegment.NULL);
    }

    @Test
    void controlDataTheKernelCutIsNotSentBack() {
        header(0, NAMELEN, 0);
        MemorySegment control = pointed(0, CONTROL, PacketInfo.CAPACITY);
        control.set(JAVA_LONG, 0, 28);
        control.set(JAVA_INT, 8, Libc.SOL_IP);
        control.set(JAVA_INT, 12, Libc.IP_PKTINFO);
        batch.receiveHeaders.set(JAVA_LONG, CONTROLLEN, 32);
        header(0, FLAGS, Libc.MSG_CTRUNC);

        batch.queueReply(0, new byte[] {'A'}, 1);

        assertThat(batch.sendHeaders.get(JAVA_LONG, CONTROLLEN)).isZero();
        assertThat(batch.sendHeaders.get(ADDRESS, CONTROL)).isEqualTo(MemorySegment.NULL);
    }

    /** Before each receive the in/out lengths take their sizes again: a short answer last time does not shrink the next. */
    @Test
    void aReceiveGivesTheKernelTheFullRoomAgain() {
        batch.received(2);
        header(0, NAMELEN, 4);
        header(1, NAMELEN, 4);
        batch.receiveHeaders.set(JAVA_LONG, CONTROLLEN, 0);
        header(1, FLAGS, Libc.MSG_TRUNC);

        batch.prepareReceive();

        for (int slot = 0; slot < 2; slot++) {
            assertThat(batch.receiveHeaders.get(JAVA_INT, slot * HEADER + NAMELEN)).isEqualTo(Sockaddr.CAPACITY);
            assertThat(batch.receiveHeaders.get(JAVA_LONG, slot * HEADER + CONTROLLEN)).isEqualTo(PacketInfo.CAPACITY);
            assertThat(batch.receiveHeaders.get(JAVA_INT, slot * HEADER + FLAGS)).isZero();
        }
        assertThat(batch.received()).isZero();
    }

    @Test
    void aBatchWithoutSlotsOrRoomIsRefused() {
        assertThatThrownBy(() -> new DatagramBatch(arena, 0, CAPACITY, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatagramBatch(arena, SLOTS, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Writes an int field of slot {@code slot}'s receive header, as the kernel would. */
    private void header(int slot, long field, int value) {
        batch.receiveHeaders.set(JAVA_INT, slot * HEADER + field, value);
    }

    /** The memory a receive header's pointer field points to, {@code size} bytes of it. */
    private MemorySegment pointed(int slot, long field, long size) {
        return batch.receiveHeaders.get(ADDRESS, slot * HEADER + field).reinterpret(size);
    }

    /** Fills slot {@code slot}'s payload through the one way the batch writes it, a queued reply. */
    private void fillSlot(int slot, byte value) {
        header(slot, NAMELEN, 0);
        byte[] bytes = new byte[CAPACITY];
        Arrays.fill(bytes, value);
        batch.queueReply(slot, bytes, CAPACITY);
    }
}
