package upcase.support;

import java.io.IOException;
import java.nio.file.Path;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * {@code --histogram-log} files read back by HdrHistogram's own reader, independently of
 * {@code bench merge}, so that a test can check the merge against a histogram it built itself.
 */
public final class HistogramLogs {
    private HistogramLogs() {}

    /** Every interval of {@code logs} with one of {@code tags} (null: untagged), added up as HistogramLogReader reads them. */
    public static Histogram added(String[] tags, Path... logs) throws IOException {
        Histogram sum = new Histogram(3);
        for (Path log : logs) {
            HistogramLogReader reader = new HistogramLogReader(log.toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                for (String tag : tags) {
                    if (tag == null ? h.getTag() == null : tag.equals(h.getTag())) {
                        sum.add((Histogram) h);
                    }
                }
            }
        }
        return sum;
    }

    /** Nanoseconds as the bench's JSON writes microseconds: rounded to 0.1. */
    public static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
