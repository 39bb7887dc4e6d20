package upcase.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short outside command (ip, curl, sh) run to completion; a failure fails the test with its output. */
public final class Commands {
    private Commands() {}

    /** Runs {@code command}, asserts exit 0 within 30 s, and returns its stdout and stderr together. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command + " ended").isTrue();
        assertThat(p.exitValue()).as(command + ": " + output).isZero();
        return output;
    }
}
