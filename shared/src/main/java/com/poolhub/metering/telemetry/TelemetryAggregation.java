package com.poolhub.metering.telemetry;

import com.poolhub.metering.ingest.Aggregation;

/**
 * Telemetry folds into one {@link MinerHour} per miner and UTC hour: a heartbeat into the hour in
 * which its bucket starts, a match or job outcome into the hour of its time, under the minute of
 * its time.
 */
public final class TelemetryAggregation implements Aggregation<TelemetryEvent, MinerHourKey, MinerHour> {
    private final BucketGrid grid;

    public TelemetryAggregation(BucketGrid grid) {
        this.grid = grid;
    }

    public BucketGrid grid() {
        return grid;
    }

    @Override
    public MinerHourKey keyOf(TelemetryEvent event) {
        if (event instanceof TelemetryEvent.Heartbeat) {
            return new MinerHourKey(event.minerId(), grid.hourOf(grid.bucketOf(event.time())));
        }
        return new MinerHourKey(event.minerId(), BucketGrid.hourFloor(event.time()));
    }

    @Override
    public long fingerprintOf(TelemetryEvent event) {
        return event.fingerprint();
    }

    @Override
    public MinerHour empty(MinerHourKey key) {
        return MinerHour.empty(grid.firstBucketOfHour(key.hour()));
    }

    @Override
    public MinerHour add(MinerHour state, TelemetryEvent event) {
        if (event instanceof TelemetryEvent.Heartbeat heartbeat) {
            return state.withHeartbeat(grid.bucketOf(heartbeat.time()), heartbeat);
        }
        if (event instanceof TelemetryEvent.Match match) {
            return state.withResponse(BucketGrid.minuteOfHour(match.time()), match.responseMicros());
        }
        return state.withOutcome(BucketGrid.minuteOfHour(event.time()), ((TelemetryEvent.Job) event).outcome());
    }

    @Override
    public MinerHour merge(MinerHour a, MinerHour b) {
        return a.merge(b);
    }
}
