package upcase.probe;

import java.util.Locale;

/** How much a server must do to pass: what the textbook programs promise, or all of docs/PROTOCOL.md. */
public enum Level {
    /** One short ASCII line or datagram per check: what the chapter's programs are written to do. */
    TEXTBOOK,
    /** The textbook checks plus everything docs/PROTOCOL.md promises. */
    FULL;

    /** {@code textbook} or {@code full}, as on the command line and in ids. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a check of level {@code check} runs when this level is asked for. */
    public boolean includes(Level check) {
        return check.compareTo(this) <= 0;
    }

    /** @throws IllegalArgumentException with a message fit to show a user */
    public static Level parse(String text) {
        for (Level level : values()) {
            if (level.id().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return level;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a level (textbook or full)");
    }
}
