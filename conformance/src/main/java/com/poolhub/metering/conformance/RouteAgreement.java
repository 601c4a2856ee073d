package com.poolhub.metering.conformance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes several sources declare (the template's Api events, {@code openapi.yaml}, the functions'
 * routers) must be the same set; each route some source lacks is one problem naming who lacks it.
 * Routes compare by method and path with parameter names ignored.
 */
public final class RouteAgreement {
    private final Map<String, Set<String>> sources = new LinkedHashMap<>();

    /** Adds a source: its name and its routes as {@code METHOD /path}. */
    public RouteAgreement source(String name, Collection<String> routes) {
        Set<String> keys = new TreeSet<>();
        for (String route : routes) {
            String[] parts = route.trim().split("\\s+", 2);
            keys.add(TemplateConformance.routeKey(parts[0], parts[1]));
        }
        sources.put(name, keys);
        return this;
    }

    /** Empty when every source declares the same routes. */
    public List<String> problems() {
        Set<String> all = new TreeSet<>();
        sources.values().forEach(all::addAll);
        List<String> problems = new ArrayList<>();
        for (String route : all) {
            List<String> having = new ArrayList<>();
            List<String> lacking = new ArrayList<>();
            sources.forEach((name, routes) -> (routes.contains(route) ? having : lacking).add(name));
            if (!lacking.isEmpty()) {
                problems.add(route + " is in " + String.join(" and ", having) + " but not in " + String.join(" or ", lacking));
            }
        }
        return problems;
    }
}
