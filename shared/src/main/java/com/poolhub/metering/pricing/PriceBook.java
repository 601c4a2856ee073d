package com.poolhub.metering.pricing;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every rate version per (resource, unit) and every token price, each with the date it takes
 * effect. Lookups answer the version in force at an instant: the latest one whose
 * {@code effectiveFrom} is at or before it. Immutable; {@link #with(Rate)} gives a new book.
 */
public final class PriceBook {
    private final Map<RateKey, List<Rate>> rates;
    private final List<TokenPrice> tokenPrices;

    public PriceBook(List<Rate> rates, List<TokenPrice> tokenPrices) {
        Map<RateKey, List<Rate>> byKey = new HashMap<>();
        for (Rate rate : rates) {
            if (!rate.key().unit().appliesTo(rate.key().resource())) {
                throw new IllegalArgumentException(rate.key() + ": unit does not apply to the resource");
            }
            byKey.computeIfAbsent(rate.key(), k -> new ArrayList<>()).add(rate);
        }
        byKey.replaceAll((key, versions) -> sortedUnique(versions, Rate::effectiveFrom, key.toString()));
        this.rates = Map.copyOf(byKey);
        this.tokenPrices = sortedUnique(tokenPrices, TokenPrice::effectiveFrom, "token price");
        if (this.tokenPrices.isEmpty()) {
            throw new IllegalArgumentException("a price book needs a token price");
        }
    }

    private static <T> List<T> sortedUnique(List<T> versions, java.util.function.Function<T, Instant> from, String what) {
        List<T> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparing(from));
        for (int i = 1; i < sorted.size(); i++) {
            if (from.apply(sorted.get(i)).equals(from.apply(sorted.get(i - 1)))) {
                throw new IllegalArgumentException(what + ": two versions take effect at " + from.apply(sorted.get(i)));
            }
        }
        return List.copyOf(sorted);
    }

    /** The rate version in force at {@code t}, if any. */
    public Optional<Rate> rateAt(RateKey key, Instant t) {
        return latestAtOrBefore(rates.getOrDefault(key, List.of()), Rate::effectiveFrom, t);
    }

    public Optional<Rate> rateAt(Resource resource, UsageUnit unit, Instant t) {
        return rateAt(new RateKey(resource, unit), t);
    }

    /** The token price in force at {@code t}; fails when {@code t} is before the first one. */
    public TokenPrice tokenPriceAt(Instant t) {
        return latestAtOrBefore(tokenPrices, TokenPrice::effectiveFrom, t)
                .orElseThrow(() -> new MissingRateException("no token price in force at " + t));
    }

    /**
     * The first instant the book prices: from it on a token price and the earliest rates are in force.
     * Usage before it has no price.
     */
    public Instant pricedFrom() {
        Instant firstRate = rates.values().stream().map(versions -> versions.get(0).effectiveFrom())
                .min(Comparator.naturalOrder()).orElse(Instant.MAX);
        Instant firstTokenPrice = tokenPrices.get(0).effectiveFrom();
        return firstRate.isAfter(firstTokenPrice) ? firstRate : firstTokenPrice;
    }

    /** Every version of every rate, by key, oldest first. */
    public Map<RateKey, List<Rate>> rates() {
        return rates;
    }

    public List<TokenPrice> tokenPrices() {
        return tokenPrices;
    }

    /** A book with one more rate version (a rate change takes effect from its date on). */
    public PriceBook with(Rate rate) {
        List<Rate> all = new ArrayList<>();
        rates.values().forEach(all::addAll);
        all.add(rate);
        return new PriceBook(all, tokenPrices);
    }

    /**
     * The book as one tenant sees it: each override rate is one more version of its rate, in force
     * from its {@code effectiveFrom} until a later version (the book's or a later override's) takes
     * over; an override at the same instant as a book version replaces that version. When two
     * overrides take effect at the same instant for one rate, the later in the list wins.
     */
    public PriceBook overriddenBy(List<Rate> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<RateKey, Map<Instant, Rate>> versions = new HashMap<>();
        rates.forEach((key, list) -> list.forEach(rate ->
                versions.computeIfAbsent(key, k -> new HashMap<>()).put(rate.effectiveFrom(), rate)));
        overrides.forEach(rate -> versions.computeIfAbsent(rate.key(), k -> new HashMap<>()).put(rate.effectiveFrom(), rate));
        List<Rate> all = new ArrayList<>();
        versions.values().forEach(byInstant -> all.addAll(byInstant.values()));
        return new PriceBook(all, tokenPrices);
    }

    /** A book with one more token price version. */
    public PriceBook with(TokenPrice price) {
        List<Rate> all = new ArrayList<>();
        rates.values().forEach(all::addAll);
        List<TokenPrice> prices = new ArrayList<>(tokenPrices);
        prices.add(price);
        return new PriceBook(all, prices);
    }

    private static <T> Optional<T> latestAtOrBefore(List<T> sorted, java.util.function.Function<T, Instant> from, Instant t) {
        T found = null;
        for (T version : sorted) {
            if (from.apply(version).isAfter(t)) {
                break;
            }
            found = version;
        }
        return Optional.ofNullable(found);
    }
}
