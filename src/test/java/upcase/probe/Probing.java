package upcase.probe;

import java.time.Duration;
import java.util.List;

/** Runs the probe in-process against loopback servers, and reads its report. */
final class Probing {
    /** For servers that answer: nothing waits this long unless a check fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * For faulty servers, whose failing checks each wait one timeout: short enough for a quick
     * suite, still hundreds of times what a loopback reply takes.
     */
    static final Duration FAULTY_TIMEOUT = Duration.ofSeconds(1);

    private Probing() {}

    static Report tcp(int port, Level level, Duration timeout) throws Exception {
        return run(new Endpoint("127.0.0.1", port), null, level, timeout);
    }

    static Report udp(int port, Level level, Duration timeout) throws Exception {
        return run(null, new Endpoint("127.0.0.1", port), level, timeout);
    }

    static Report run(Endpoint tcp, Endpoint udp, Level level, Duration timeout) throws Exception {
        return Probe.of(Settings.of(tcp, udp, level, timeout)).run(outcome -> {});
    }

    static List<String> failed(Report report) {
        return ids(report, Verdict.FAIL);
    }

    static List<String> ids(Report report, Verdict verdict) {
        return report.outcomes().stream()
                .filter(o -> o.result().verdict() == verdict)
                .map(o -> o.check().id())
                .toList();
    }

    static Result result(Report report, String id) {
        return report.outcomes().stream()
                .filter(o -> o.check().id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id))
                .result();
    }

    static String diagnosis(Report report, String id) {
        return result(report, id).diagnosis();
    }
}
