package net.daum.crystal.core.execute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.DefaultHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * The class from the original incident (shared/incidents/tomcat-self-call): a Tomcat webapp on port 8080 that
 * fetched static HTML from its own Tomcat. Under load every http-apr-8080-exec worker waited in invokeAll (line 104)
 * for fetches that only a free worker of the same Tomcat could answer.
 */
public class SearchManager {
    private static final String DOCUMENT_ROOT = "http://localhost:8080/ROOT/docs/";
    private final ExecutorService fetchers = Executors.newFixedThreadPool(16);

    /** A search hit as shown on the result page. */
    public static final class Hit {
        final String id;
        final String html;

        Hit(String id, String html) {
            this.id = id;
            this.html = html;
        }
    }

    /** Query terms, normalised the way the index stores them. */
    static List<String> normalise(String query) {
        List<String> terms = new ArrayList<>();
        for (String term : query.toLowerCase().split("\\s+")) {
            if (!term.isEmpty()) {
                terms.add(term);
            }
        }
        return terms;
    }

    /** Document ids matching every term; the index lookup itself is out of this excerpt. */
    List<String> lookup(List<String> terms) {
        List<String> ids = new ArrayList<>();
        for (String term : terms) {
            ids.add(Integer.toHexString(term.hashCode()));
        }
        return ids;
    }

    /** Ranks hits by how many query terms their id shares; ties keep index order. */
    static List<String> rank(List<String> ids, List<String> terms) {
        List<String> ranked = new ArrayList<>(ids);
        ranked.sort((a, b) -> Integer.compare(score(b, terms), score(a, terms)));
        return ranked;
    }

    private static int score(String id, List<String> terms) {
        int score = 0;
        for (String term : terms) {
            if (id.contains(term)) {
                score++;
            }
        }
        return score;
    }

    /** Wraps every occurrence of a term in <em> for the result snippet. */
    static String highlight(String html, List<String> terms) {
        String out = html;
        for (String term : terms) {
            out = out.replace(term, "<em>" + term + "</em>");
        }
        return out;
    }

    /** Cuts a snippet of at most {@code max} characters at a word boundary. */
    static String snippet(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = text.lastIndexOf(' ', max);
        return text.substring(0, cut > 0 ? cut : max) + "…";
    }

    /** True when the query has nothing to search for. */
    static boolean isBlank(String query) {
        return query == null || query.trim().isEmpty();
    }

    /** Fetches the rendered HTML of every hit in parallel. */
    public List<Hit> search(List<String> ids, int limit) throws Exception {
        List<Callable<Hit>> tasks = new ArrayList<>();
        for (final String id : ids.subList(0, Math.min(limit, ids.size()))) {
            tasks.add(() -> new Hit(id, fetch(DOCUMENT_ROOT + id + ".html")));
        }
        List<Hit> hits = new ArrayList<>();
        // Waits without a bound: if the fetches need a worker of this same Tomcat, nobody ever returns.
        List<Future<Hit>> done =
                fetchers.invokeAll(tasks);
        for (Future<Hit> future : done) {
            hits.add(future.get());
        }
        return hits;
    }

    /** Fetches one document from the same Tomcat that is serving this request. */
    String fetch(String url) throws IOException {
        DefaultHttpClient client = new DefaultHttpClient();
        HttpResponse response = client.execute(new HttpGet(url));
        if (response.getStatusLine().getStatusCode() != 200) {
            return null;
        }
        return EntityUtils.toString(response.getEntity(), "UTF-8");
    }

    /** Turns a document id into the file name the static server expects. */
    static String fileName(String id) {
        StringBuilder name = new StringBuilder();
        for (char c : id.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? c : '_');
        }
        return name.append(".html").toString();
    }

    /** Drops hits whose fetch failed (a null body) so the page still renders. */
    static List<Hit> withoutFailures(List<Hit> hits) {
        List<Hit> kept = new ArrayList<>();
        for (Hit hit : hits) {
            if (hit.html != null) {
                kept.add(hit);
            }
        }
        return kept;
    }

    /** Renders the result page body. */
    static String render(List<Hit> hits, List<String> terms) {
        StringBuilder page = new StringBuilder("<ol>");
        for (Hit hit : withoutFailures(hits)) {
            page.append("<li>").append(snippet(highlight(hit.html, terms), 300)).append("</li>");
        }
        return page.append("</ol>").toString();
    }

    /** Stops the fetch pool; called when the webapp is undeployed. */
    public void shutdown() {
        fetchers.shutdown();
    }

    /** How many fetches may run at once: one per pool thread. */
    public int parallelism() {
        return 16;
    }


    /** The servlet entry point: one search per request. */
    public List<Hit> search(String query) throws Exception {
        return search(lookup(normalise(query)), 20);
    }
}
