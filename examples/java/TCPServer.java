import java.io.*;
import java.net.*;
import java.util.Locale;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The textbook's TCPServer (Kurose/Ross ch. 2), fixed. Run: java TCPServer.java [port]
 * (default 6789; 0 lets the system pick). Answers everything each client sends, in UPPERCASE,
 * until the client closes.
 */
class TCPServer {
    public static void main(String argv[]) throws Exception {
        int port = argv.length > 0 ? Integer.parseInt(argv[0]) : 6789;
        try (ServerSocket welcomeSocket = new ServerSocket(port)) {
            port = welcomeSocket.getLocalPort();
            System.out.println("The server is ready to receive on port " + port);
            while (true) {
                Socket connectionSocket = welcomeSocket.accept();
                // fix: a thread per client, so an idle client no longer blocks the others
                Thread.ofVirtual().start(() -> serve(connectionSocket));
            }
        }
    }

    static void serve(Socket socket) {
        // fix: try-with-resources closes the connection (the book never did: CLOSE_WAIT piled up)
        try (Socket connectionSocket = socket;
             Reader inFromClient = new InputStreamReader(connectionSocket.getInputStream(), UTF_8);
             Writer outToClient = new BufferedWriter( // fix: UTF-8, not writeBytes()
                     new OutputStreamWriter(connectionSocket.getOutputStream(), UTF_8))) {
            char[] buffer = new char[8192];
            int length;
            // fix: all the client sends until it closes (-1), not one readLine(): every line is
            // answered, and so is text without a line end (the Python client sends none).
            // The reader keeps a UTF-8 character cut between two segments until it is whole.
            while ((length = inFromClient.read(buffer)) != -1) {
                String clientSentence = new String(buffer, 0, length);
                // fix: Locale.ROOT, or a Turkish locale turns "quit" into "QU\u0130T" (dotted I)
                String capitalizedSentence = clientSentence.toUpperCase(Locale.ROOT);
                outToClient.write(capitalizedSentence);
                outToClient.flush(); // fix: the reply leaves at once, in one piece
            }
        } catch (IOException e) { // fix: one client's reset no longer kills the server
            System.err.println("TCPServer: " + socket.getRemoteSocketAddress() + ": " + e.getMessage());
        }
    }
}
