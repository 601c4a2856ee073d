package com.poolhub.metering.ingest.rejects;

import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.usage.UtcTimes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a kept reject is shown to an operator, by the direct-invoke tool and the API alike. */
public final class RejectJson {
    private RejectJson() {
    }

    /**
     * {@code id} (see {@link RejectIds}), {@code shardId}, {@code sequenceNumber}, {@code index},
     * {@code subRecord} (KPL records only), {@code partitionKey}, {@code arrivedAt}, {@code reasonCode},
     * {@code reason} and {@code data}: the refused event's text as kept ({@code base64:...} when the
     * bytes were not UTF-8).
     */
    public static Map<String, Object> describe(RejectedRecord reject) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", RejectIds.of(reject));
        entry.put("shardId", reject.shardId());
        entry.put("sequenceNumber", reject.sequenceNumber());
        entry.put("index", reject.index());
        if (reject.subRecord() != CloudEventReader.NOT_AGGREGATED) {
            entry.put("subRecord", reject.subRecord());
        }
        entry.put("partitionKey", reject.partitionKey() == null ? "" : reject.partitionKey());
        entry.put("arrivedAt", UtcTimes.format(reject.arrivedAt()));
        entry.put("reasonCode", reject.rejection().code());
        entry.put("reason", reject.rejection().message());
        entry.put("data", reject.data());
        return entry;
    }

    public static List<Map<String, Object>> describe(List<RejectedRecord> rejects) {
        List<Map<String, Object>> described = new ArrayList<>();
        rejects.forEach(reject -> described.add(describe(reject)));
        return described;
    }
}
