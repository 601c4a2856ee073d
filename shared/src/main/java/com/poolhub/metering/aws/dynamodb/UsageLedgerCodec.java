package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.aws.dynamodb.ledger.LedgerCodec;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Usage minutes in the ledger: one scope a minute (and tenant group), {@code U#minute#group};
 * members {@code tenant#RESOURCE#unit}; a partial total as {@code quantity:events}.
 */
public final class UsageLedgerCodec implements LedgerCodec<UsageKey, UsageTotals> {
    private final Duration minuteRetention;
    private final LedgerSettings settings;

    public UsageLedgerCodec(Duration minuteRetention, LedgerSettings settings) {
        this.minuteRetention = minuteRetention;
        this.settings = settings;
    }

    @Override
    public String scope(UsageKey key) {
        return "U#" + UtcTimes.format(key.windowStart()) + "#" + settings.groupOf(key.tenant());
    }

    @Override
    public String member(UsageKey key) {
        return key.tenant() + "#" + key.resource() + "#" + key.unit().wire();
    }

    @Override
    public UsageKey key(String scope, String member) {
        String[] window = scope.split("#");
        String[] parts = member.split("#");
        if (window.length != 3 || parts.length != 3) {
            throw new IllegalArgumentException("not a usage ledger member: " + scope + " " + member);
        }
        return new UsageKey(parts[0], Resource.valueOf(parts[1]),
                UsageUnit.parse(parts[2]).orElseThrow(() -> new IllegalArgumentException("unknown unit " + parts[2])),
                Granularity.MINUTE, Instant.parse(window[1]));
    }

    @Override
    public AttributeValue encodeDelta(UsageKey key, UsageTotals delta) {
        return AttributeValue.fromS(delta.quantity().toPlainString() + ":" + delta.events());
    }

    @Override
    public UsageTotals decodeDelta(UsageKey key, AttributeValue value) {
        String text = value.s();
        int colon = text.lastIndexOf(':');
        return new UsageTotals(new BigDecimal(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }

    @Override
    public long expiresAt(UsageKey key) {
        return key.windowEnd().plus(minuteRetention).getEpochSecond();
    }
}
