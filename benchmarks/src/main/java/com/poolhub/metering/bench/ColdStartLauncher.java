package com.poolhub.metering.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Started as a fresh JVM by the cold start benchmark, with a function's shaded jar on the class path
 * and its environment pointing at local emulators: builds the handler with its no-argument
 * constructor (as Lambda does), reads one sample event from {@code events/}, handles it once, and
 * prints {@code HANDLED <construct ms> <handle ms>}. Uses only what every shaded jar holds (Jackson,
 * the Lambda event classes).
 */
public final class ColdStartLauncher {
    private ColdStartLauncher() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        RequestHandler handler = (RequestHandler) Class.forName(args[0]).getConstructor().newInstance();
        long constructed = System.nanoTime();
        Object event = event(new File(args[1]));
        handler.handleRequest(event, null);
        long handled = System.nanoTime();
        System.out.printf("HANDLED %.1f %.1f%n", (constructed - start) / 1e6, (handled - constructed) / 1e6);
        System.out.flush();
        System.exit(0);
    }

    /** The sample event as the runtime would hand it over, by its shape. */
    static Object event(File file) throws Exception {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        JsonNode root = mapper.readTree(file);
        if (root.has("Records") && root.get("Records").path(0).has("kinesis")) {
            List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
            for (JsonNode node : root.get("Records")) {
                JsonNode kinesis = node.get("kinesis");
                KinesisEvent.Record record = new KinesisEvent.Record();
                record.setData(ByteBuffer.wrap(Base64.getDecoder().decode(kinesis.path("data").asText())));
                record.setPartitionKey(kinesis.path("partitionKey").asText());
                record.setSequenceNumber(kinesis.path("sequenceNumber").asText());
                record.setApproximateArrivalTimestamp(new Date((long) (kinesis.path("approximateArrivalTimestamp")
                        .asDouble() * 1000)));
                KinesisEvent.KinesisEventRecord wrapper = new KinesisEvent.KinesisEventRecord();
                wrapper.setKinesis(record);
                wrapper.setEventID(node.path("eventID").asText());
                wrapper.setEventSourceARN(node.path("eventSourceARN").asText());
                records.add(wrapper);
            }
            KinesisEvent event = new KinesisEvent();
            event.setRecords(records);
            return event;
        }
        if (root.has("httpMethod")) {
            return mapper.convertValue(root, APIGatewayProxyRequestEvent.class);
        }
        if (root.has("detail-type")) {
            ScheduledEvent event = new ScheduledEvent();
            event.setId(root.path("id").asText());
            event.setSource(root.path("source").asText());
            event.setDetailType(root.path("detail-type").asText());
            event.setDetail(mapper.convertValue(root.path("detail"), Map.class));
            return event;
        }
        return mapper.convertValue(root, Map.class);
    }
}
