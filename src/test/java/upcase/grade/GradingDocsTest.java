package upcase.grade;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import upcase.support.Python;
import upcase.support.Tool;

/**
 * docs/PROBE.md's Grading section is copied as it is by teachers: its scripts must be valid
 * shell, its workflow valid YAML, and the probe options they use must exist.
 */
class GradingDocsTest {
    /** A fenced block: its closing fence alone on a line (the workflow echoes ``` inside its own). */
    private static final Pattern FENCE = Pattern.compile("^```(sh|yaml)\\n(.*?)\\n```$", Pattern.DOTALL | Pattern.MULTILINE);

    @TempDir
    Path dir;

    private static List<String> blocks(String language) throws Exception {
        String doc = Files.readString(Path.of("docs/PROBE.md"), UTF_8);
        String grading = doc.substring(doc.indexOf("\n## Grading\n"));
        List<String> found = new ArrayList<>();
        Matcher m = FENCE.matcher(grading);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                found.add(m.group(2));
            }
        }
        return found;
    }

    @Test
    void theGradescopeScriptsAreValidBash() throws Exception {
        Path bash = Tool.require("bash", "bash");
        List<String> scripts = blocks("sh").stream().filter(b -> b.startsWith("#!/usr/bin/env bash")).toList();
        assertThat(scripts).hasSize(2); // setup.sh and run_autograder
        for (String script : scripts) {
            Path file = dir.resolve("script.sh");
            Files.writeString(file, script);
            Process p = new ProcessBuilder(bash.toString(), "-n", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out + script).isZero();
        }
        assertThat(scripts.get(1)).contains("--format gradescope --output /autograder/results/results.json");
    }

    @Test
    void theWorkflowIsValidYamlWithTheProbeStep() throws Exception {
        Python.assumeAvailable();
        List<String> yaml = blocks("yaml");
        assertThat(yaml).hasSize(1);
        Path file = dir.resolve("grade.yml");
        Files.writeString(file, yaml.getFirst());
        // PyYAML (Debian python3-yaml): prints the steps' names, or fails on invalid YAML.
        Process p = new ProcessBuilder("python3", "-c", """
                import sys
                try:
                    import yaml
                except ImportError:
                    print('NO-YAML'); sys.exit(0)
                w = yaml.safe_load(open(sys.argv[1]))
                for s in w['jobs']['probe']['steps']:
                    print(s.get('name', ''), s.get('uses', ''))
                    print(s.get('run', ''))
                """, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Assumptions.assumeFalse(out.startsWith("NO-YAML"), "python3-yaml is not installed: skipping");
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("actions/setup-java@v4", "Probe the server", "--format junit --output probe.xml",
                "mikepenz/action-junit-report@v5");
    }

    @Test
    void theOptionsTheScriptsUseExist() throws Exception {
        // Each documented probe command parses: --help after them shows usage (exit 0) only if every option before it exists.
        Upcase help = Upcase.run("probe", "--run", "python3 server.py {udp}", "--level", "textbook", "--start-timeout", "30s",
                "--format", "junit", "--output", "probe.xml", "--points", "points.txt", "--each", "a", "--parallel", "4", "--help");
        assertThat(help.exit()).as(help.toString()).isZero();
        assertThat(help.stdout()).contains("--start-timeout", "--points", "--format", "--each", "--parallel", "--run");
    }
}
