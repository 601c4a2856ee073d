package com.poolhub.metering.api;

import java.util.List;

/** A function that serves REST routes: the templates its router answers, as {@code METHOD /path}. */
public interface RoutedFunction {
    List<String> routes();
}
