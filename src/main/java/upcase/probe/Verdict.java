package upcase.probe;

public enum Verdict {
    PASS("pass"),
    FAIL("fail"),
    /** The check did not run because the probe was given no address for its transport. */
    NOT_APPLICABLE("not_applicable");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /** {@code pass}, {@code fail} or {@code not_applicable}, as in the JSON report. */
    public String id() {
        return id;
    }
}
