// Scenario 3: a Tomcat front whose servlet asks a backend for a quote through a shared Apache HttpClient pool
// (10 connections per route) and never closes the response: every call keeps its connection leased. After ten
// requests the route is full and every further request parks in the pool's lease, forever (no lease timeout).
package live;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import org.apache.http.HttpResponse;
import org.apache.http.client.HttpClient;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

public class PoolExhaustionTomcat {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int backendPort = Integer.parseInt(args[2]);
        new EmbeddedTomcat(port, new File(args[1]), 20).serve("/quote", new QuoteServlet("http://127.0.0.1:" + backendPort + "/quote")).run(port);
    }

    static class QuoteServlet extends HttpServlet {
        private final HttpClient client;
        private final String backend;

        QuoteServlet(String backend) {
            PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
            pool.setMaxTotal(40);
            pool.setDefaultMaxPerRoute(10);
            this.client = HttpClients.custom().setConnectionManager(pool).build();
            this.backend = backend;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().println("quote: " + askBackend());
        }

        private int askBackend() throws IOException {
            // The response is never closed and its entity never read: the connection stays leased.
            HttpResponse response = client.execute(new HttpGet(backend));
            return response.getStatusLine().getStatusCode();
        }
    }
}
