package upcase.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What went wrong, by message, with how often: {@code connect: Connection refused} x 3. Shared
 * by the load threads; problems are rare, so a concurrent map is cheap enough. At most
 * {@value #DISTINCT} different messages are kept; the rest count under one line.
 */
final class Problems {
    private static final int DISTINCT = 20;
    private static final String OTHERS = "(other problems)";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String message) {
        String key = counts.containsKey(message) || counts.size() < DISTINCT ? message : OTHERS;
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Most frequent first. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }
}
