package upcase.tcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A native poller's table of wires (epoll's and io_uring's), indexed by the token the kernel hands
 * back with each event or completion, never by descriptor. A token is a wire's slot (low 32 bits)
 * and the slot's generation (the next 24 bits), which changes each time the slot is freed: a
 * token that outlived its wire names a free slot or an old generation, and {@link #live} returns
 * null for it, so an event for a closed connection never reaches the one that got its slot or its
 * descriptor number. Loop thread only.
 */
final class ConnectionSlots<W> {
    static final int GENERATION_MASK = (1 << 24) - 1;

    private Object[] slots = new Object[64];
    private int[] generations = new int[64];
    /** Free slots, a stack: a slot freed is the next one used, so the table stays dense. */
    private int[] free = new int[64];
    private int freeCount;
    /** Slots ever used: those at and above it are free and not on the stack. */
    private int highWater;

    /** Puts {@code wire} in a free slot; returns its token. */
    long add(W wire) {
        int slot = freeCount > 0 ? free[--freeCount] : nextSlot();
        slots[slot] = wire;
        return ((long) generations[slot] << 32) | slot;
    }

    private int nextSlot() {
        if (highWater == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
            generations = Arrays.copyOf(generations, slots.length);
            free = Arrays.copyOf(free, slots.length);
        }
        return highWater++;
    }

    /** The wire {@code token} names, or null when it is stale (its slot free, or given to another since). */
    @SuppressWarnings("unchecked")
    W live(long token) {
        int slot = (int) token;
        if (slot < 0 || slot >= highWater || (token >>> 32) != generations[slot]) {
            return null;
        }
        return (W) slots[slot];
    }

    /** Frees {@code token}'s slot: every later event or completion with that token is stale. */
    void release(long token) {
        int slot = (int) token;
        slots[slot] = null;
        generations[slot] = (generations[slot] + 1) & GENERATION_MASK;
        free[freeCount++] = slot;
    }

    /** What {@code view} says of each wire in the table (null: left out), as a list that closing them does not disturb. */
    @SuppressWarnings("unchecked")
    <T> List<T> each(Function<W, T> view) {
        List<T> all = new ArrayList<>();
        for (int i = 0; i < highWater; i++) {
            if (slots[i] != null) {
                T t = view.apply((W) slots[i]);
                if (t != null) {
                    all.add(t);
                }
            }
        }
        return all;
    }
}
