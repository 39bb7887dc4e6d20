import java.io.*;
import java.net.*;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The textbook's UDPClient (Kurose/Ross ch. 2), fixed. Run: java UDPClient.java [host [port]]
 * (default localhost 9876). Sends each line you type as one datagram (until end of input,
 * Ctrl-D) and prints the reply as "FROM SERVER: ...". Exits 1 if a line never got a reply.
 */
class UDPClient {
    public static void main(String args[]) throws Exception {
        String host = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9876;
        // fix: explicit UTF-8 for the keyboard and the screen, whatever the platform's charset
        BufferedReader inFromUser = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        PrintStream toUser = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
        boolean lostOne = false;
        // Not connect()ed: on a connected socket the JDK sends nothing for an empty line.
        try (DatagramSocket clientSocket = new DatagramSocket()) {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(host), port);
            byte[] receiveData = new byte[65535]; // fix: room for the largest reply, not 1,024
            String sentence;
            while ((sentence = inFromUser.readLine()) != null) { // every line, not only the first
                byte[] sendData = sentence.getBytes(UTF_8);
                skipLateReplies(clientSocket, receiveData);
                String modifiedSentence = null;
                clientSocket.setSoTimeout(1000); // fix: a datagram may be lost: wait 1 s, not forever
                for (int tries = 1; modifiedSentence == null && tries <= 3; tries++) { // fix: 3 tries
                    clientSocket.send(new DatagramPacket(sendData, sendData.length, server));
                    DatagramPacket receivePacket = new DatagramPacket(receiveData, receiveData.length);
                    try {
                        do clientSocket.receive(receivePacket); // only the server's datagrams count
                        while (!receivePacket.getSocketAddress().equals(server));
                        // fix: getLength(), not the whole buffer (and its trailing NULs)
                        modifiedSentence = new String(receiveData, 0, receivePacket.getLength(), UTF_8);
                    } catch (SocketTimeoutException e) { } // no reply (yet)
                }
                if (modifiedSentence == null) {
                    System.err.println("UDPClient: no reply from " + host + ":" + port + " after 3 tries");
                    lostOne = true;
                } else {
                    toUser.println("FROM SERVER: " + modifiedSentence);
                }
            }
        } catch (IOException e) { // one line, not a stack trace: unknown host, line too long, ...
            System.err.println("UDPClient: " + host + ":" + port + ": " + e);
            System.exit(1);
        }
        System.exit(lostOne ? 1 : 0);
    }

    // fix: drop a late reply to an earlier line, or it would pass for the reply to this one
    static void skipLateReplies(DatagramSocket clientSocket, byte[] buffer) throws IOException {
        clientSocket.setSoTimeout(1);
        try {
            while (true) clientSocket.receive(new DatagramPacket(buffer, buffer.length));
        } catch (SocketTimeoutException e) { } // nothing left
    }
}
