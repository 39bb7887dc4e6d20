package upcase.grade;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import upcase.probe.Check;
import upcase.probe.Checks;
import upcase.probe.Level;

/**
 * How many points each check is worth. By default a textbook check is worth
 * {@value #TEXTBOOK_DEFAULT} and any other {@value #FULL_DEFAULT}: the textbook level (what the
 * chapter's programs must do) carries most of the grade, the rest of PROTOCOL.md a bonus.
 *
 * <p>A points file changes that, one rule a line, later lines winning:
 * <pre>
 * # comments and blank lines are ignored
 * tcp.textbook.line = 20
 * *.full.* = 0            # a * stands for any characters
 * udp.full.size-0 = 2.5
 * </pre>
 * A rule that matches no check is an error (a typo would otherwise go unnoticed).
 */
public final class Points {
    public static final BigDecimal TEXTBOOK_DEFAULT = BigDecimal.TEN;
    public static final BigDecimal FULL_DEFAULT = BigDecimal.ONE;
    private static final Pattern LINE = Pattern.compile("([a-z0-9.*-]+)\\s*=\\s*([0-9]+(?:\\.[0-9]+)?)");

    private record Rule(Pattern ids, BigDecimal points) {}

    private final List<Rule> rules;

    private Points(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Points defaults() {
        return new Points(List.of());
    }

    /**
     * @param source named in error messages ({@code points.txt})
     * @throws IllegalArgumentException naming the source and line, fit to show a user
     */
    public static Points parse(String text, String source) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        List<Check> all = Checks.catalogue();
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            String rule = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (rule.isEmpty()) {
                continue;
            }
            var m = LINE.matcher(rule);
            String where = source + " line " + (n + 1);
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": '" + rule + "' is not CHECK-ID = POINTS (like tcp.textbook.line = 10)");
            }
            Pattern ids = Pattern.compile(Pattern.quote(m.group(1)).replace("*", "\\E.*\\Q"));
            if (all.stream().noneMatch(c -> ids.matcher(c.id()).matches())) {
                throw new IllegalArgumentException(where + ": '" + m.group(1) + "' matches no check (see docs/PROBE.md for the ids)");
            }
            rules.add(new Rule(ids, new BigDecimal(m.group(2))));
        }
        return new Points(rules);
    }

    /** What {@code check} is worth: the last rule that matches it, or its level's default. */
    public BigDecimal of(Check check) {
        Objects.requireNonNull(check, "check");
        BigDecimal points = check.level() == Level.TEXTBOOK ? TEXTBOOK_DEFAULT : FULL_DEFAULT;
        for (Rule r : rules) {
            if (r.ids().matcher(check.id()).matches()) {
                points = r.points();
            }
        }
        return points;
    }

    /** {@code 10}, {@code 2.5}: points as reports show them. */
    public static String show(BigDecimal points) {
        return points.signum() == 0 ? "0" : points.stripTrailingZeros().toPlainString();
    }
}
