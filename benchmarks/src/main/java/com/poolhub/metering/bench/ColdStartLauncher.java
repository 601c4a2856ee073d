package com.poolhub.metering.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.crac.Resource;

/**
 * Started as a fresh JVM by the cold start benchmark, with a function's shaded jar on the class path
 * and its template environment pointing at local emulators: builds the handler with its no-argument
 * constructor (as Lambda does); in {@code restore} mode then runs the CRaC hooks of the resources the
 * handler holds ({@code beforeCheckpoint}, {@code afterRestore}: what SnapStart runs around its
 * snapshot); reads one sample event from {@code events/}, handles it once (the first event), then
 * again {@code warm} times. Prints {@code HANDLED} with: epoch ms at entering main, construct ms,
 * hooks ms, first event ms, process CPU ms up to the first answer, warm event median ms and its
 * thread CPU ms, how the first event ended and how many CRaC resources ran. Uses only what the function's shaded jar holds
 * (Jackson, its Lambda event classes, org.crac).
 */
public final class ColdStartLauncher {
    private ColdStartLauncher() {
    }

    /**
     * Arguments: mode ({@code cold} or {@code restore}), handler class, event file, warm repetitions,
     * and the input type of the function measured (empty for a stream handler), which the empty handler
     * gets too.
     */
    public static void main(String[] args) throws Exception {
        long entered = System.currentTimeMillis();
        long start = System.nanoTime();
        Object handler = Class.forName(args[1]).getConstructor().newInstance();
        long constructed = System.nanoTime();
        int hooks = args[0].equals("restore") ? runCracHooks(handler) : 0;
        long hooked = System.nanoTime();
        File file = new File(args[2]);
        String inputType = args.length > 4 ? args[4] : "";
        String outcome = handle(handler, file, inputType);
        long handled = System.nanoTime();
        double coldCpu = processCpuMs();
        int warm = Integer.parseInt(args[3]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] warmWall = new double[warm];
        double[] warmCpu = new double[warm];
        for (int i = 0; i < warm; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            handle(handler, file, inputType);
            warmWall[i] = (System.nanoTime() - wall) / 1e6;
            warmCpu[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
        }
        System.out.printf("HANDLED %d %.1f %.1f %.1f %.1f %.1f %.1f %s %d%n", entered, (constructed - start) / 1e6,
                (hooked - constructed) / 1e6, (handled - hooked) / 1e6, coldCpu, median(warmWall), median(warmCpu),
                outcome, hooks);
        System.out.flush();
        System.exit(0);
    }

    /**
     * Runs {@code beforeCheckpoint} then {@code afterRestore} on every CRaC resource the handler holds
     * in a field, alone or in a collection (handlers hold them: CRaC keeps resources weakly). On a JDK
     * without CRaC nothing else would call them, and no checkpoint is taken: the JVM goes on as the
     * restored one would. Answers how many resources ran.
     */
    static int runCracHooks(Object handler) throws Exception {
        List<Resource> resources = new ArrayList<>();
        for (Class<?> type = handler.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value = field.get(handler);
                if (value instanceof Resource resource) {
                    resources.add(resource);
                } else if (value instanceof java.util.Collection<?> values) {
                    values.stream().filter(Resource.class::isInstance).map(Resource.class::cast).forEach(resources::add);
                }
            }
        }
        for (Resource resource : resources) {
            resource.beforeCheckpoint(null);
            resource.afterRestore(null);
        }
        return resources.size();
    }

    /** Handles the event once; answers how it ended ({@code ok}, a status code, or what it threw). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String handle(Object handler, File file, String inputType) throws Exception {
        try {
            if (handler instanceof RequestStreamHandler stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(Files.readAllBytes(file.toPath())), out, null);
                return "ok";
            }
            Object answer = ((RequestHandler) handler).handleRequest(event(file, inputType), null);
            if (answer instanceof com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent response) {
                return String.valueOf(response.getStatusCode());
            }
            return "ok";
        } catch (RuntimeException e) {
            return "threw-" + e.getClass().getSimpleName();
        }
    }

    private static double processCpuMs() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e6 : Double.NaN;
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The sample event as the runtime would hand it over to the input type (a map for none). */
    static Object event(File file, String inputType) throws Exception {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        JsonNode root = mapper.readTree(file);
        // by name: a jar holds only the event classes its function takes
        if (inputType.isEmpty()) {
            return mapper.convertValue(root, Map.class);
        }
        if (inputType.equals("com.amazonaws.services.lambda.runtime.events.KinesisEvent")) {
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
        if (inputType.equals("com.amazonaws.services.lambda.runtime.events.ScheduledEvent")) {
            ScheduledEvent event = new ScheduledEvent();
            event.setId(root.path("id").asText());
            event.setSource(root.path("source").asText());
            event.setDetailType(root.path("detail-type").asText());
            event.setDetail(mapper.convertValue(root.path("detail"), Map.class));
            return event;
        }
        return mapper.convertValue(root, Class.forName(inputType));
    }
}
