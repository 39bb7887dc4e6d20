package upcase.launch;

import java.time.Duration;

/**
 * How a program under test is run: every default in one place.
 *
 * @param startTimeout how long it may take to answer on its ports
 * @param stopGrace how long it has to exit after SIGTERM before its group gets SIGKILL
 * @param stderrLimit how many of the last bytes of its stderr are kept
 * @param stderrLines how many of the last lines of its stderr a report shows
 */
public record LaunchConfig(Duration startTimeout, Duration stopGrace, int stderrLimit, int stderrLines) {
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);
    /** Enough for a JVM or Python to run its shutdown hooks; a grader must not wait long for each submission. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(2);
    public static final int DEFAULT_STDERR_LIMIT = 64 * 1024;
    /** A Python traceback or a Java stack trace's head fits; a report stays readable. */
    public static final int DEFAULT_STDERR_LINES = 30;

    public LaunchConfig {
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("the start timeout must be positive");
        }
        if (stopGrace.isNegative()) {
            throw new IllegalArgumentException("the stop grace must not be negative");
        }
        if (stderrLimit < 1 || stderrLines < 1) {
            throw new IllegalArgumentException("the stderr limits must be positive");
        }
    }

    public static LaunchConfig defaults() {
        return new LaunchConfig(DEFAULT_START_TIMEOUT, DEFAULT_STOP_GRACE, DEFAULT_STDERR_LIMIT, DEFAULT_STDERR_LINES);
    }

    public LaunchConfig withStartTimeout(Duration timeout) {
        return new LaunchConfig(timeout, stopGrace, stderrLimit, stderrLines);
    }
}
