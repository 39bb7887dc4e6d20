package upcase.cli;

import picocli.CommandLine.Option;

/** What every server command shares about its log. */
final class LogOptions {
    @Option(names = "--log-format", paramLabel = "FORMAT", converter = LogFormat.Converter.class,
            defaultValue = "${env:UPCASE_LOG_FORMAT:-text}",
            description = "text ('upcase: ...' lines) or json (one JSON object per line; docs/OPERATIONS.md)"
                    + " (default: ${DEFAULT-VALUE}; env UPCASE_LOG_FORMAT).")
    LogFormat format;

    LogFormat format() {
        return format;
    }
}
