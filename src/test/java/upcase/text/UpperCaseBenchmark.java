package upcase.text;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transform against the obvious baseline, decode-uppercase-encode through String. A
 * benchmark, not a test: bench/jmh.sh runs it and prints the ratios (docs/PERFORMANCE.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UpperCaseBenchmark {
    @Param({"ascii", "latin1", "cjk", "invalid"})
    public String text;

    @Param({"64", "65536"})
    public int size;

    private byte[] input;
    private byte[] output;
    private final UpperCase unicode = UpperCase.unicode();
    private final UpperCase ascii = UpperCase.ascii();

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder b = new StringBuilder();
        byte[] bytes;
        if (text.equals("invalid")) {
            // Mostly lowercase ASCII with an ill-formed byte every 16 on average.
            bytes = new byte[size];
            for (int i = 0; i < size; i++) {
                bytes[i] = random.nextInt(16) == 0 ? (byte) (0x80 + random.nextInt(0x80)) : (byte) ('a' + random.nextInt(26));
            }
        } else {
            String alphabet = switch (text) {
                case "ascii" -> "abcdefghijklmnopqrstuvwxyz abcdefghij ,.\n";
                case "latin1" -> "straße café naïve smörgåsbord ÀÉÎÕÜ àéîõü ";
                default -> "中文文本的大写没有变化日本語のテキスト한국어 텍스트 ";
            };
            while (b.toString().getBytes(StandardCharsets.UTF_8).length < size) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] all = b.toString().getBytes(StandardCharsets.UTF_8);
            int end = unicode.boundary(all, 0, size); // whole characters only
            bytes = java.util.Arrays.copyOf(all, end);
        }
        input = bytes;
        output = new byte[input.length * unicode.maxExpansion()];
    }

    @Benchmark
    public int upcase() {
        return unicode.apply(input, 0, input.length, output, 0);
    }

    @Benchmark
    public int upcaseAscii() {
        return ascii.apply(input, 0, input.length, output, 0);
    }

    @Benchmark
    public byte[] stringBaseline() {
        return new String(input, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }
}
