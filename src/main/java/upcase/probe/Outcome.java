package upcase.probe;

import java.time.Duration;

/** A check and how it went. */
public record Outcome(Check check, Result result, Duration elapsed) {}
