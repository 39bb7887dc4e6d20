package upcase.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code upcase bench compare-report RESULTS_DIR}: bench/compare.sh's {@code report.html}, from
 * the {@code runs.tsv} and {@code machine.txt} it wrote. Per scenario and figure: each server's
 * median over the rounds it completed correctly, every such round as a dot, and upcase's ratio
 * to the best peer (the peer with the best median among those that completed every round run;
 * the ratio is the median over rounds of upcase divided by that peer in the same round), with
 * which way is better. The same rules as compare.sh's table.md.
 */
public final class CompareReport {
    private static final String UPCASE = "upcase";

    private CompareReport() {}

    /** A results directory that compare.sh did not write (or not completely): one line. */
    public static final class BadResults extends IOException {
        BadResults(Path file, String why) {
            super(file + ": " + why);
        }
    }

    /** One figure of a scenario: its runs.tsv column, its name, and whether higher is better. */
    private record Figure(String column, String name, boolean higher) {}

    /** Writes RESULTS_DIR/report.html and returns its path. */
    public static Path write(Path results) throws IOException {
        Path tsv = results.resolve("runs.tsv");
        if (!Files.isRegularFile(tsv)) {
            throw new BadResults(results, "no runs.tsv in it (not a bench/compare.sh results directory)");
        }
        List<Map<String, String>> rows = read(tsv);
        Path machineFile = results.resolve("machine.txt");
        String machine = Files.isRegularFile(machineFile) ? Files.readString(machineFile, StandardCharsets.UTF_8) : "";

        Set<String> servers = new LinkedHashSet<>();
        Set<String> scenarios = new LinkedHashSet<>();
        for (Map<String, String> r : rows) {
            servers.add(r.get("server"));
            scenarios.add(r.get("scenario"));
        }
        List<Object> sections = new ArrayList<>();
        for (String scenario : scenarios) {
            List<Object> figures = new ArrayList<>();
            for (Figure f : figures(scenario, rows)) {
                figures.add(figure(rows, List.copyOf(servers), scenario, f));
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("scenario", scenario);
            s.put("label", label(scenario, machine));
            s.put("figures", figures);
            s.put("notes", notes(rows, scenario));
            sections.add(s);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("machine", machine);
        data.put("servers", List.copyOf(servers));
        data.put("scenarios", sections);
        Path page = results.resolve("report.html");
        Files.writeString(page, Page.render("compare.html", "upcase and its peers", data), StandardCharsets.UTF_8);
        return page;
    }

    private static List<Map<String, String>> read(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new BadResults(tsv, "empty");
        }
        String[] header = lines.getFirst().split("\t", -1);
        for (String needed : List.of("round", "server", "scenario", "status")) {
            if (!Arrays.asList(header).contains(needed)) {
                throw new BadResults(tsv, "no '" + needed + "' column in its header");
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split("\t", -1);
            if (cells.length != header.length) {
                throw new BadResults(tsv, "line " + (i + 1) + " has " + cells.length + " fields, the header " + header.length);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            try {
                Integer.parseInt(row.get("round"));
            } catch (NumberFormatException e) {
                throw new BadResults(tsv, "line " + (i + 1) + ": round '" + row.get("round") + "' is not a number");
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Figure> figures(String scenario, List<Map<String, String>> rows) {
        List<Figure> figures = new ArrayList<>(switch (scenario) {
            case "bulk" -> List.of(new Figure("mb_per_sec", "MB/s", true));
            case "idle" -> List.of(new Figure("kib_per_connection", "KiB per connection", false));
            default -> List.of(new Figure("rate", scenario.startsWith("connect") ? "lines/s" : "replies/s", true),
                    new Figure("p99_us", "p99 latency (µs)", false),
                    new Figure("cpu_us_per_reply", "server CPU per reply (µs)", false));
        });
        // compare.sh counts system calls only where perf can (and results from before it did have
        // no such column): a chart only for the scenarios that have the figure.
        boolean counted = rows.stream().anyMatch(r -> r.get("scenario").equals(scenario)
                && number(r.get("syscalls_per_reply")) != null);
        if (counted && !scenario.equals("idle")) {
            figures.add(new Figure("syscalls_per_reply", "server system calls per reply", false));
        }
        return figures;
    }

    private static Map<String, Object> figure(List<Map<String, String>> rows, List<String> servers, String scenario,
            Figure f) {
        Set<Integer> rounds = new TreeSet<>();
        Map<String, Map<Integer, Double>> ok = new LinkedHashMap<>();
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, Boolean> complete = new LinkedHashMap<>();
        List<Object> cells = new ArrayList<>();
        for (String server : servers) {
            Map<Integer, Double> values = new LinkedHashMap<>();
            Set<String> statuses = new LinkedHashSet<>();
            int tried = 0;
            for (Map<String, String> r : rows) {
                if (!r.get("server").equals(server) || !r.get("scenario").equals(scenario)) {
                    continue;
                }
                statuses.add(r.get("status"));
                int round = Integer.parseInt(r.get("round"));
                rounds.add(round);
                if (!r.get("status").equals("skipped") && !r.get("status").equals("n/a")) {
                    tried++;
                }
                Double v = number(r.get(f.column()));
                if (r.get("status").equals("ok") && v != null) {
                    values.put(round, v);
                }
            }
            ok.put(server, values);
            String cell;
            if (!values.isEmpty()) {
                medians.put(server, median(List.copyOf(values.values())));
                complete.put(server, values.size() == tried);
                cell = values.size() == tried ? "" : values.size() + "/" + tried + " rounds";
            } else if (statuses.contains("ok")) {
                cell = "no figure";
            } else if (statuses.contains("n/a")) {
                cell = "n/a";
            } else if (statuses.equals(Set.of("skipped"))) {
                cell = "skipped";
            } else {
                cell = statuses.isEmpty() ? "" : "failed";
            }
            cells.add(cell);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", f.name());
        out.put("higher", f.higher());
        out.put("servers", servers);
        out.put("medians", servers.stream().map(s -> (Object) medians.get(s)).toList());
        out.put("status", cells);
        List<Object> perRound = new ArrayList<>();
        for (int round : rounds) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("round", round);
            r.put("values", servers.stream().map(s -> (Object) ok.get(s).get(round)).toList());
            perRound.add(r);
        }
        out.put("rounds", perRound);

        List<String> peers = servers.stream()
                .filter(p -> !p.equals(UPCASE) && medians.containsKey(p) && complete.get(p)).toList();
        if (peers.isEmpty() || !servers.contains(UPCASE)) {
            out.put("best", null);
            return out;
        }
        String best = peers.getFirst();
        for (String p : peers) {
            if (f.higher() ? medians.get(p) > medians.get(best) : medians.get(p) < medians.get(best)) {
                best = p;
            }
        }
        out.put("best", best);
        List<Double> ratios = new ArrayList<>();
        for (Map.Entry<Integer, Double> e : ok.get(UPCASE).entrySet()) {
            Double peer = ok.get(best).get(e.getKey());
            if (peer != null && peer != 0) {
                ratios.add(e.getValue() / peer);
            }
        }
        if (!ratios.isEmpty()) {
            double m = median(ratios);
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("median", m);
            ratio.put("min", ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            ratio.put("max", ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            ratio.put("ahead", m == 1 ? "even" : (m > 1) == f.higher() ? "upcase ahead" : "peer ahead");
            out.put("ratio", ratio);
        }
        return out;
    }

    /** The runs of this scenario that did not complete, and why. */
    private static List<Object> notes(List<Map<String, String>> rows, String scenario) {
        List<Object> notes = new ArrayList<>();
        for (Map<String, String> r : rows) {
            if (r.get("scenario").equals(scenario) && (r.get("status").equals("failed") || r.get("status").equals("skipped"))) {
                notes.add("round " + r.get("round") + ", " + r.get("server") + ": " + r.get("status")
                        + (r.getOrDefault("note", "").isEmpty() ? "" : " (" + r.get("note") + ")"));
            }
        }
        return notes;
    }

    /** What a scenario name stands for, with the settings compare.sh recorded in machine.txt. */
    static String label(String scenario, String machine) {
        Matcher spec = Pattern.compile("(tcp|udp)-(\\d+)x(\\d+)").matcher(scenario);
        if (spec.matches()) {
            int n = Integer.parseInt(spec.group(2));
            String unit = spec.group(1).equals("tcp") ? "connection" : "socket";
            return String.format("%s, %,d %s%s x depth %s", spec.group(1), n, unit, n == 1 ? "" : "s", spec.group(3));
        }
        return switch (scenario) {
            case "connect" -> "tcp, a new connection per line (" + setting(machine, "CONNECT_CONCURRENCY") + " at a time)";
            case "connect-rate" -> "tcp, a new connection per line, " + setting(machine, "CONNECT_RATE") + " per second ("
                    + setting(machine, "CONNECT_CONCURRENCY") + " at a time)";
            case "bulk" -> "tcp bulk, " + setting(machine, "BULK_MB") + " MB in " + setting(machine, "BULK_LINE") + "-byte lines";
            case "idle" -> "idle, " + setting(machine, "IDLE_CONNECTIONS") + " connections";
            default -> scenario;
        };
    }

    private static String setting(String machine, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=(\\S+)").matcher(machine);
        return m.find() ? m.group(1) : "?";
    }

    private static Double number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
