// An embedded Tomcat 10 with one NIO connector on 127.0.0.1 and a root context, as the scenarios' servers use it.
package live;

import jakarta.servlet.http.HttpServlet;
import java.io.File;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

final class EmbeddedTomcat {
    private final Tomcat tomcat = new Tomcat();
    private final Context context;

    EmbeddedTomcat(int port, File baseDir, int maxThreads) {
        tomcat.setBaseDir(baseDir.getAbsolutePath());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", String.valueOf(maxThreads));
        connector.setProperty("minSpareThreads", String.valueOf(Math.min(maxThreads, 10)));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        context = tomcat.addContext("", baseDir.getAbsolutePath());
    }

    EmbeddedTomcat serve(String path, HttpServlet servlet) {
        Tomcat.addServlet(context, path, servlet);
        context.addServletMappingDecoded(path, path);
        return this;
    }

    /** Starts, says READY on stdout (the test waits for it), and serves until killed. */
    void run(int port) throws Exception {
        tomcat.start();
        System.out.println("READY " + port);
        tomcat.getServer().await();
    }
}
