package upcase.net;

/** What the clients say to a person at a terminal: the textbook's prompt and reply prefix. */
public final class ClientTerminal {
    /** Shown before each line when stdin is a terminal (the textbook's Python clients' prompt). */
    public static final String PROMPT = "Input lowercase sentence: ";
    /** Printed before each reply when stdin is a terminal (the textbook's Java TCPClient). */
    public static final String REPLY_PREFIX = "FROM SERVER: ";

    private ClientTerminal() {}
}
