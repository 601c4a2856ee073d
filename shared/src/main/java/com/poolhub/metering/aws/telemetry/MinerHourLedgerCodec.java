package com.poolhub.metering.aws.telemetry;

import com.poolhub.metering.aws.dynamodb.ledger.LedgerCodec;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Miner hours in the ledger: one scope an hour (and miner group), {@code T#hour#group}; members are
 * miner ids; a partial hour is the miner-hour item's own attributes as a map.
 */
public final class MinerHourLedgerCodec implements LedgerCodec<MinerHourKey, MinerHour> {
    private final MinerHourCodec items;
    private final Duration retention;
    private final LedgerSettings settings;

    public MinerHourLedgerCodec(MinerHourCodec items, Duration retention, LedgerSettings settings) {
        this.items = items;
        this.retention = retention;
        this.settings = settings;
    }

    @Override
    public String scope(MinerHourKey key) {
        return "T#" + UtcTimes.format(key.hour()) + "#" + settings.groupOf(key.minerId());
    }

    @Override
    public String member(MinerHourKey key) {
        return key.minerId();
    }

    @Override
    public MinerHourKey key(String scope, String member) {
        String[] window = scope.split("#");
        if (window.length != 3) {
            throw new IllegalArgumentException("not a telemetry ledger scope: " + scope);
        }
        return new MinerHourKey(member, Instant.parse(window[1]));
    }

    @Override
    public AttributeValue encodeDelta(MinerHourKey key, MinerHour delta) {
        Map<String, AttributeValue> attributes = new HashMap<>(items.encode(key, delta));
        attributes.remove("ttl");
        return AttributeValue.fromM(attributes);
    }

    @Override
    public MinerHour decodeDelta(MinerHourKey key, AttributeValue value) {
        return items.decode(key, value.m());
    }

    @Override
    public long expiresAt(MinerHourKey key) {
        return key.hour().plusSeconds(BucketGrid.HOUR_SECONDS).plus(retention).getEpochSecond();
    }
}
