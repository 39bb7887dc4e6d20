package upcase.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import upcase.bench.report.CompareReport;

@Command(name = "compare-report", mixinStandardHelpOptions = true,
        description = {
            "Write RESULTS_DIR/report.html from what bench/compare.sh recorded there (runs.tsv, machine.txt):",
            "per scenario each server's median with every round as a dot, and upcase's ratio to the best peer.",
            "bench/compare.sh runs this itself. Exit 1 if RESULTS_DIR holds no readable runs.tsv."
        })
final class BenchCompareReportCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RESULTS_DIR", description = "A bench/compare.sh results directory (bench/results/DATE).")
    Path results;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(results)) {
            throw new ParameterException(spec.commandLine(), "no such directory: " + results);
        }
        Path page = CompareReport.write(results);
        bench.main.io().stdout().write((page + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bench.main.io().stdout().flush();
        return Main.OK;
    }
}
