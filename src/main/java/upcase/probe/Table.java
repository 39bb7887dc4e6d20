package upcase.probe;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report for people, one row per check as its outcome comes in, then {@code N passed, M
 * failed}. A failure is followed by its evidence and its likely fault. Colour (ANSI) only when a
 * person watches a terminal: piped into a file or a grader, the output stays plain text.
 */
public final class Table {
    private static final String GREEN = "\u001B[32m";
    private static final String RED = "\u001B[1;31m";
    private static final String DIM = "\u001B[2m";
    private static final String RESET = "\u001B[0m";
    private static final String INDENT = "        ";

    private final PrintWriter out;
    private final boolean colour;
    private final int idWidth;
    /** Transports whose checks did not apply and that already have their one n/a row. */
    private final Set<Transport> notApplicable = EnumSet.noneOf(Transport.class);

    public Table(PrintWriter out, boolean colour, List<Check> checks) {
        this.out = out;
        this.colour = colour;
        this.idWidth = checks.stream().mapToInt(c -> c.id().length()).max().orElse(0);
    }

    /** {@code upcase probe: full level, tcp localhost:6789, udp localhost:9876, 2s per reply} */
    public void header(Settings settings) {
        String servers = settings.endpoints().entrySet().stream()
                .map(e -> e.getKey().id() + " " + e.getValue()
                        + (e.getKey() == Transport.TCP && settings.tls() != null ? " over TLS" : ""))
                .collect(Collectors.joining(", "));
        out.println("upcase probe: " + settings.level().id() + " level, " + servers + ", "
                + Timing.format(settings.timeout()) + " per reply");
        out.println();
        out.flush();
    }

    public void row(Outcome outcome) {
        Check check = outcome.check();
        Result result = outcome.result();
        switch (result.verdict()) {
            case PASS -> {
                line(GREEN, "pass", check.id(), check.description());
                if (result.diagnosis() != null) {
                    out.println(INDENT + detail("note", result.diagnosis()));
                }
            }
            case FAIL -> {
                line(RED, "FAIL", check.id(), check.description());
                details(result).forEach(d -> out.println(INDENT + d));
            }
            case NOT_APPLICABLE -> {
                // One row for all the checks of a transport that was not given: they share the reason.
                if (notApplicable.add(check.transport())) {
                    line(DIM, "n/a", check.transport().id() + ".*", result.diagnosis());
                }
            }
        }
        out.flush();
    }

    public void summary(Report report) {
        out.println();
        out.println(report.summary());
        out.flush();
    }

    private void line(String ansi, String verdict, String id, String text) {
        String word = String.format("%-4s", verdict);
        out.println("  " + (colour ? ansi + word + RESET : word) + "  " + String.format("%-" + idWidth + "s", id)
                + "  " + text);
    }

    /**
     * A failure's evidence and fault, one labelled line each ({@code sent      "hello"}): under
     * its row here, and in the reports for graders (JUnit, TAP, Gradescope) the same way.
     */
    public static List<String> details(Result result) {
        List<String> lines = new ArrayList<>();
        Evidence evidence = result.evidence();
        if (evidence != null) {
            lines.add(detail("sent", Escaping.show(evidence.sent())));
            lines.add(detail("expected", Escaping.show(evidence.expected())));
            lines.add(detail("got", evidence.got() == null ? "(nothing)" : Escaping.show(evidence.got())));
        }
        lines.add(detail("fault", result.diagnosis()));
        return lines;
    }

    private static String detail(String label, String value) {
        return String.format("%-9s ", label) + value;
    }
}
