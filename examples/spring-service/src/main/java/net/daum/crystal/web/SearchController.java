package net.daum.crystal.web;

import java.util.List;
import net.daum.crystal.core.execute.SearchManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The search page of the original incident's webapp: every request runs SearchManager.search on a Tomcat worker,
 * so the unbounded invokeAll there holds that worker while the fetches wait for a free worker of the same Tomcat.
 */
@RestController
public class SearchController {
    private final SearchManager searchManager = new SearchManager();

    @GetMapping("/search")
    public List<SearchManager.Hit> search(@RequestParam String q, @RequestParam(defaultValue = "10") int limit) throws Exception {
        List<String> terms = SearchManager.normalise(q);
        return searchManager.search(terms, limit);
    }
}
