import java.io.*;
import java.net.*;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The textbook's TCPClient (Kurose/Ross ch. 2), fixed. Run: java TCPClient.java [host [port]]
 * (default localhost 6789). Sends each line you type (until end of input, Ctrl-D) and prints
 * the server's reply as "FROM SERVER: ...".
 */
class TCPClient {
    public static void main(String argv[]) throws Exception {
        String host = argv.length > 0 ? argv[0] : "localhost";
        int port = argv.length > 1 ? Integer.parseInt(argv[1]) : 6789;
        // fix: explicit UTF-8 for the keyboard and the screen, whatever the platform's charset
        BufferedReader inFromUser = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        PrintStream toUser = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        // fix: try-with-resources closes the socket however we leave
        try (Socket clientSocket = new Socket(host, port)) {
            clientSocket.setSoTimeout(10_000); // fix: a silent server is reported, not waited for
            // fix: UTF-8, not writeBytes() (it dropped the high byte of each char, one write each)
            Writer outToServer = new BufferedWriter(
                    new OutputStreamWriter(clientSocket.getOutputStream(), UTF_8));
            BufferedReader inFromServer = new BufferedReader(
                    new InputStreamReader(clientSocket.getInputStream(), UTF_8));
            String sentence;
            while ((sentence = inFromUser.readLine()) != null) { // every line, not only the first
                outToServer.write(sentence + '\n');
                outToServer.flush(); // the line leaves at once, in one piece
                // the whole reply line, however many segments it came in
                String modifiedSentence = inFromServer.readLine();
                if (modifiedSentence == null) {
                    throw new EOFException("the server closed the connection");
                }
                toUser.println("FROM SERVER: " + modifiedSentence);
            }
        } catch (IOException e) { // one line, not a stack trace: refused, unknown host, timed out
            System.err.println("TCPClient: " + host + ":" + port + ": " + e);
            System.exit(1);
        }
    }
}
