// Scenario 2: the JDK's own com.sun.net.httpserver with a fixed pool of 4 workers, whose /report handler fetches a
// fragment from its own port with no timeout. The client is HttpURLConnection, OkHttp or java.net.http; the pool is
// named `http-worker-N` or left with the JDK's default names (`pool-1-thread-N`).
package live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

public class SelfCallHttpServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String client = args[1];
        boolean namedPool = args.length > 2 && args[2].equals("named");

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        ExecutorService workers = namedPool ? Executors.newFixedThreadPool(4, named("http-worker-")) : Executors.newFixedThreadPool(4);
        server.setExecutor(workers);
        String fragmentUrl = "http://localhost:" + port + "/fragment";
        server.createContext("/report", new ReportHandler(fetcher(client), fragmentUrl));
        server.createContext("/fragment", exchange -> reply(exchange, "fragment"));
        server.start();
        System.out.println("READY " + port);
    }

    interface Fetcher {
        String get(String url) throws IOException, InterruptedException;
    }

    static Fetcher fetcher(String client) {
        switch (client) {
            case "urlconnection":
                return SelfCallHttpServer::getWithUrlConnection;
            case "okhttp": {
                // Someone turned the read timeout off "because reports can be slow".
                OkHttpClient okhttp = new OkHttpClient.Builder().readTimeout(0, TimeUnit.MILLISECONDS).build();
                return url -> {
                    try (Response response = okhttp.newCall(new Request.Builder().url(url).build()).execute()) {
                        return response.body().string();
                    }
                };
            }
            case "jdk": {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                return url -> http.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            }
            default:
                throw new IllegalArgumentException(client);
        }
    }

    static String getWithUrlConnection(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static class ReportHandler implements HttpHandler {
        private final Fetcher fetcher;
        private final String fragmentUrl;

        ReportHandler(Fetcher fetcher, String fragmentUrl) {
            this.fetcher = fetcher;
            this.fragmentUrl = fragmentUrl;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try {
                reply(exchange, "report: " + fetcher.get(fragmentUrl));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void reply(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger(1);
        return runnable -> new Thread(runnable, prefix + next.getAndIncrement());
    }
}
