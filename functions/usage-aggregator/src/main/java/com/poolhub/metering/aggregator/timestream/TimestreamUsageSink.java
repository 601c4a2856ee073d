package com.poolhub.metering.aggregator.timestream;

import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;
import software.amazon.awssdk.services.timestreamwrite.model.Dimension;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValue;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValueType;
import software.amazon.awssdk.services.timestreamwrite.model.Record;
import software.amazon.awssdk.services.timestreamwrite.model.RejectedRecord;
import software.amazon.awssdk.services.timestreamwrite.model.RejectedRecordsException;
import software.amazon.awssdk.services.timestreamwrite.model.TimeUnit;
import software.amazon.awssdk.services.timestreamwrite.model.WriteRecordsRequest;

/**
 * {@link UsageMetricsSink} on Amazon Timestream for LiveAnalytics. Each rolled-up window becomes one
 * multi-measure record ({@value #MEASURE_NAME}: {@code quantity} DOUBLE, {@code events} BIGINT) at
 * the window's start, with dimensions tenant, resource, unit and granularity, and the window's
 * source version as the record version, so a window rolled up again replaces its earlier record.
 * WriteRecords takes at most {@value #MAX_RECORDS_PER_CALL} records a call; records the service
 * rejects ({@code RejectedRecordsException}) are returned with their reason, never dropped silently.
 * Passing failures (throttling, 5xx) are retried by the client's bounded retry strategy. Quantities
 * here are for dashboards; the exact decimals stay in DynamoDB.
 */
public final class TimestreamUsageSink implements UsageMetricsSink {
    public static final String MEASURE_NAME = "usage";
    static final int MAX_RECORDS_PER_CALL = 100;
    private static final Logger LOG = LoggerFactory.getLogger(TimestreamUsageSink.class);

    private final TimestreamWriteClient client;
    private final String database;
    private final String table;

    public TimestreamUsageSink(TimestreamWriteClient client, String database, String table) {
        this.client = client;
        this.database = database;
        this.table = table;
    }

    @Override
    public Result write(List<VersionedWindow> windows) {
        int accepted = 0;
        List<Refused> refused = new ArrayList<>();
        for (int from = 0; from < windows.size(); from += MAX_RECORDS_PER_CALL) {
            List<VersionedWindow> chunk = windows.subList(from, Math.min(windows.size(), from + MAX_RECORDS_PER_CALL));
            try {
                client.writeRecords(WriteRecordsRequest.builder()
                        .databaseName(database)
                        .tableName(table)
                        .records(chunk.stream().map(TimestreamUsageSink::record).toList())
                        .build());
                accepted += chunk.size();
            } catch (RejectedRecordsException e) {
                List<RejectedRecord> rejected = e.hasRejectedRecords() ? e.rejectedRecords() : List.of();
                for (RejectedRecord r : rejected) {
                    VersionedWindow window = r.recordIndex() != null && r.recordIndex() < chunk.size()
                            ? chunk.get(r.recordIndex()) : null;
                    String reason = r.reason() + (r.existingVersion() == null ? "" : " (existing version " + r.existingVersion() + ")");
                    if (window != null) {
                        refused.add(new Refused(window, reason));
                    } else {
                        LOG.warn("timestream rejected an unknown record index {}: {}", r.recordIndex(), reason);
                    }
                }
                accepted += chunk.size() - rejected.size();
            }
        }
        return new Result(accepted, refused);
    }

    static Record record(VersionedWindow window) {
        UsageKey key = window.key();
        return Record.builder()
                .dimensions(dimension("tenant", key.tenant()), dimension("resource", key.resource().name()),
                        dimension("unit", key.unit().wire()), dimension("granularity", key.granularity().name()))
                .measureName(MEASURE_NAME)
                .measureValueType(MeasureValueType.MULTI)
                .measureValues(
                        MeasureValue.builder().name("quantity").type(MeasureValueType.DOUBLE)
                                .value(window.totals().quantity().toPlainString()).build(),
                        MeasureValue.builder().name("events").type(MeasureValueType.BIGINT)
                                .value(Long.toString(window.totals().events())).build())
                .time(Long.toString(key.windowStart().toEpochMilli()))
                .timeUnit(TimeUnit.MILLISECONDS)
                .version(window.version())
                .build();
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
