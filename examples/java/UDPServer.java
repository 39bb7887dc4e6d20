import java.io.*;
import java.net.*;
import java.util.Locale;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The textbook's UDPServer (Kurose/Ross ch. 2), fixed. Run: java UDPServer.java [port]
 * (default 9876; 0 lets the system pick). Answers every datagram with its text in UPPERCASE.
 */
class UDPServer {
    public static void main(String args[]) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9876;
        try (DatagramSocket serverSocket = new DatagramSocket(port)) {
            port = serverSocket.getLocalPort();
            System.out.println("The server is ready to receive on port " + port);
            // fix: room for the largest datagram (65,507 bytes over IPv4), not 1,024
            byte[] receiveData = new byte[65535];
            while (true) {
                DatagramPacket receivePacket = new DatagramPacket(receiveData, receiveData.length);
                serverSocket.receive(receivePacket);
                // fix: getLength(), not the whole buffer (NULs, or the end of an older datagram)
                String sentence = new String(receiveData, 0, receivePacket.getLength(), UTF_8);
                InetAddress IPAddress = receivePacket.getAddress();
                int clientPort = receivePacket.getPort();
                // fix: never answer a service port: two echo-like servers would bounce a spoofed
                // datagram between them forever (CERT CA-1996-01)
                if (clientPort < 1024 || clientPort == 6789 || clientPort == 9876
                        || clientPort == 12000 || clientPort == port) {
                    continue;
                }
                // fix: Locale.ROOT and explicit UTF-8, whatever the platform's locale and charset
                byte[] sendData = sentence.toUpperCase(Locale.ROOT).getBytes(UTF_8);
                DatagramPacket sendPacket =
                        new DatagramPacket(sendData, sendData.length, IPAddress, clientPort);
                try {
                    serverSocket.send(sendPacket);
                } catch (IOException e) { // e.g. a reply grown past 65,507 bytes: keep serving
                    System.err.println("UDPServer: no reply to " + IPAddress + ":" + clientPort
                            + ": " + e.getMessage());
                }
            }
        }
    }
}
