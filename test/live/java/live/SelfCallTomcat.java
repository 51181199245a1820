// Scenario 1 (and 6): embedded Tomcat 10 with maxThreads 4. In "self-call" mode the /report servlet fetches a
// fragment from its own Tomcat with a shared Apache HttpClient and no timeouts: the seed incident. In "healthy"
// mode /report does the same amount of work without calling anyone.
package live;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

public class SelfCallTomcat {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean healthy = args.length > 2 && args[2].equals("healthy");
        new EmbeddedTomcat(port, new File(args[1]), 4)
                .serve("/report", healthy ? new LocalReportServlet() : new ReportServlet(port))
                .serve("/fragment", new FragmentServlet())
                .run(port);
    }

    /** Builds the page from a fragment served by this same Tomcat: the self-referential call. */
    static class ReportServlet extends HttpServlet {
        private final CloseableHttpClient client = HttpClients.createDefault();
        private final int port;

        ReportServlet(int port) {
            this.port = port;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String fragment = fetchFragment();
            resp.setContentType("text/plain");
            resp.getWriter().println("report: " + fragment);
        }

        private String fetchFragment() throws IOException {
            try (CloseableHttpResponse response = client.execute(new HttpGet("http://localhost:" + port + "/fragment"))) {
                return EntityUtils.toString(response.getEntity());
            }
        }
    }

    static class LocalReportServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            long sum = 0;
            for (int i = 0; i < 2_000_000; i++) sum += i % 7;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            resp.setContentType("text/plain");
            resp.getWriter().println("report: " + sum);
        }
    }

    static class FragmentServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().println("fragment");
        }
    }
}
