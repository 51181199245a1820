// Scenario 4: a hand-written socket server that answers each request and then forgets the socket: it keeps a
// reference (so nothing is garbage-collected and closed) but never calls close(). Each client that hangs up leaves
// a connection in CLOSE_WAIT that no thread reads.
package live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class LeakingSocketServer {
    private static final List<Socket> served = new CopyOnWriteArrayList<>();

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        ExecutorService handlers = Executors.newFixedThreadPool(4);
        try (ServerSocket server = new ServerSocket(port, 100, InetAddress.getLoopbackAddress())) {
            System.out.println("READY " + port);
            while (true) {
                Socket socket = server.accept();
                handlers.execute(() -> answer(socket));
            }
        }
    }

    static void answer(Socket socket) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // skip the request line and headers
            }
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            served.add(socket);
        } catch (IOException e) {
            served.add(socket);
        }
    }
}
