package upcase.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import upcase.bench.LogMerge;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {
            "Combine the --histogram-log files of several generators into one report: total replies, the rate over",
            "the union of their time ranges, and percentiles of one histogram holding every interval (never an",
            "average of percentiles). Exit 1 if a log is malformed or the runs counted errors, 2 if a FILE is missing."
        })
final class BenchMergeCommand implements Callable<Integer> {
    @ParentCommand
    BenchCommand bench;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "HdrHistogram interval logs (upcase bench --histogram-log).")
    List<Path> files;

    @Mixin
    BenchCommand.Results results;

    @Override
    public Integer call() throws Exception {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "no such file: " + file);
            }
        }
        results.check();
        return results.finish(bench.main.io(), LogMerge.merge(files));
    }
}
