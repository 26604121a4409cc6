package ru.svoykrug.hub.simulate.amocrm;

import com.github.tomakehurst.wiremock.http.Request;
import ru.svoykrug.hub.simulate.kit.Requests.BadRequest;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static ru.svoykrug.hub.simulate.kit.Answers.NODES;
import static ru.svoykrug.hub.simulate.kit.Requests.param;
import static ru.svoykrug.hub.simulate.kit.Requests.path;

/**
 * The list calls of amoCRM: {@code page}/{@code limit} (at most 250), {@code filter[updated_at][from]} in
 * Unix seconds, {@code with=contacts}, and {@code _links.next} on every page but the last.
 */
record AmocrmListing(AmocrmDataSet data) {

    /**
     * One page of a listing ({@code contacts}, {@code leads} or {@code deleted}), null past the end (amoCRM's
     * 204); a request amoCRM refuses throws {@link BadRequest}.
     */
    ObjectNode page(String kind, Request request, String origin) {
        int page, limit;
        long from;
        try {
            page = Integer.parseInt(param(request, "page", "1"));
            limit = Integer.parseInt(param(request, "limit", "50"));
            from = Long.parseLong(param(request, "filter[updated_at][from]", "0"));
        } catch (NumberFormatException e) {
            throw new BadRequest("page, limit and filter[updated_at][from] must be numbers");
        }
        if (page < 1 || limit < 1 || limit > 250) {
            throw new BadRequest("limit must be between 1 and 250");
        }
        int[] ids = data.listing(kind);
        int start = firstChangedSince(kind, ids, from) + (page - 1) * limit;
        if (start >= ids.length) {
            return null;
        }
        int end = Math.min(ids.length, start + limit);
        ArrayNode items = NODES.arrayNode();
        boolean withContacts = "contacts".equals(param(request, "with"));
        for (int i = start; i < end; i++) {
            items.add(kind.equals("contacts") ? AmocrmBodies.contact(data.contact(ids[i]), origin + "/api/v4")
                    : AmocrmBodies.lead(data.lead(ids[i]), withContacts, origin + "/api/v4"));
        }
        ObjectNode root = NODES.objectNode();
        root.put("_page", page);
        ObjectNode links = root.putObject("_links");
        links.putObject("self").put("href", href(request, page, origin));
        if (end < ids.length) {
            links.putObject("next").put("href", href(request, page + 1, origin));
        }
        root.putObject("_embedded").set(kind.equals("contacts") ? "contacts" : "leads", items);
        data.served(kind, page);
        return root;
    }

    private int firstChangedSince(String kind, int[] ids, long from) {
        int lo = 0, hi = ids.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (data.updatedAt(kind, ids[mid]) < from) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private String href(Request request, int page, String origin) {
        StringBuilder query = new StringBuilder("page=").append(page);
        for (String name : new String[]{"limit", "filter[updated_at][from]", "order[updated_at]", "with"}) {
            String value = param(request, name);
            if (value != null) {
                query.append('&').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return origin + path(request) + "?" + query;
    }
}
