package com.example.reports;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/** A report endpoint with every problem CloseWait looks for. Run `npm run demo` to see them. */
@RestController
public class ReportController {
    private final ExecutorService renderers = Executors.newFixedThreadPool(8);
    private final CloseableHttpClient http = HttpClients.createDefault();
    private final RestTemplate rest = new RestTemplate();

    @GetMapping("/reports/{id}")
    public String report(@PathVariable String id) throws Exception {
        // Renders the header by calling this very service: under load every worker waits on another worker.
        String header = rest.getForObject("http://localhost:8080/reports/" + id + "/header", String.class);
        Future<String> body = renderers.submit(() -> renderBody(id));
        return header + body.get();
    }

    @GetMapping("/reports/{id}/header")
    public String header(@PathVariable String id) {
        return "<h1>Report " + id + "</h1>";
    }

    String renderBody(String id) throws IOException {
        CloseableHttpResponse response = http.execute(new HttpGet("http://archive.internal:9200/reports/" + id));
        if (response.getStatusLine().getStatusCode() != 200) {
            return "";
        }
        return EntityUtils.toString(response.getEntity());
    }

    byte[] downloadAttachment(String link) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) new URL(link).openConnection();
        try (InputStream in = conn.getInputStream()) {
            return in.readAllBytes();
        }
    }

    String slowSummary(String id) {
        return CompletableFuture.supplyAsync(() -> "summary of " + id).join();
    }
}
