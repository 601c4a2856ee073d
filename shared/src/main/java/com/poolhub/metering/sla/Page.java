package com.poolhub.metering.sla;

import java.util.List;
import java.util.Map;

/** One page of a listing and the position of the next (null at the end). */
public record Page<T>(List<T> items, Map<String, String> next) {
    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, null);
    }
}
