package upcase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import upcase.cli.Io;
import upcase.cli.Main;

/** One {@code upcase ARGS} in-process, its output captured, and numbers read from a JSON file it wrote. */
public record BenchRun(int status, String stdout, String stderr) {
    public static BenchRun of(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            argv[i] = String.valueOf(args[i]);
        }
        Io io = new Io(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int status = Main.run(io, argv);
        return new BenchRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Asserts the exit status, showing the output when it differs. */
    public BenchRun exits(int expected) {
        assertThat(status).as(stdout + stderr).isEqualTo(expected);
        return this;
    }

    /** A number from a JSON file, by key: the first one with that key (a nested key is found too). */
    public static double figure(Path json, String key) throws IOException {
        String text = Files.readString(json);
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9.Ee+-]+)").matcher(text);
        assertThat(m.find()).as("%s in %s", key, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** A JSON array of numbers (or nulls, as NaN), by key: the first one with that key. */
    public static List<Double> array(Path json, String key) throws IOException {
        String text = Files.readString(json);
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": \\[([^\\]]*)\\]").matcher(text);
        assertThat(m.find()).as("%s in %s", key, text).isTrue();
        List<Double> values = new ArrayList<>();
        for (String v : m.group(1).split(",")) {
            if (!v.isBlank()) {
                values.add(v.strip().equals("null") ? Double.NaN : Double.parseDouble(v.strip()));
            }
        }
        return values;
    }
}
