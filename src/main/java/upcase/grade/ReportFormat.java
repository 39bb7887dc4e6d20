package upcase.grade;

/**
 * One way to write a graded report (a table for people, JUnit XML for CI, Gradescope's
 * results.json, ...). A new format is one class implementing this, listed in {@link Formats}.
 */
public interface ReportFormat {
    /** The name on the command line: {@code --format ID}. */
    String id();

    /** The file name extension of its reports, without the dot: {@code xml}. */
    String extension();

    /** The whole report as text (UTF-8 when written). */
    String render(Graded graded);
}
