package upcase.probe;

import java.util.List;

/** Every outcome of one probe, in the catalogue's order. */
public record Report(List<Outcome> outcomes) {
    public Report {
        outcomes = List.copyOf(outcomes);
    }

    public long count(Verdict verdict) {
        return outcomes.stream().filter(o -> o.result().verdict() == verdict).count();
    }

    /** Whether nothing failed (checks that did not apply do not count against the server). */
    public boolean allPassed() {
        return count(Verdict.FAIL) == 0;
    }

    /** {@code 25 passed, 3 failed}: the report's last line. */
    public String summary() {
        return count(Verdict.PASS) + " passed, " + count(Verdict.FAIL) + " failed";
    }
}
