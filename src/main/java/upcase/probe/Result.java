package upcase.probe;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param evidence what was sent, expected and received; only for {@link Verdict#FAIL}, and may be
 *     {@code null} there too when nothing was exchanged (connection refused)
 * @param diagnosis on failure, the most likely fault in plain words; for {@link
 *     Verdict#NOT_APPLICABLE}, why the check did not run; on a pass {@code null}, or a note (the
 *     TLS handshake check's protocol, cipher and certificate)
 */
public record Result(Verdict verdict, Evidence evidence, String diagnosis) {
    public Result {
        Objects.requireNonNull(verdict, "verdict");
        if (verdict != Verdict.PASS) {
            Objects.requireNonNull(diagnosis, "diagnosis");
        }
    }

    public static Result pass() {
        return new Result(Verdict.PASS, null, null);
    }

    /** A pass with a note worth showing: what a TLS handshake agreed on. */
    public static Result pass(String note) {
        return new Result(Verdict.PASS, null, note);
    }

    public static Result fail(Evidence evidence, String diagnosis) {
        return new Result(Verdict.FAIL, evidence, diagnosis);
    }

    public static Result fail(String diagnosis) {
        return new Result(Verdict.FAIL, null, diagnosis);
    }

    public static Result notApplicable(String reason) {
        return new Result(Verdict.NOT_APPLICABLE, null, reason);
    }
}
