package com.poolhub.metering.bench;

import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.local.LocalAws;

/**
 * The capacity the DynamoDB backend itself reports, printed beside the modelled figures only while
 * the backend is DynamoDB Local (whose {@code ConsumedCapacity} follows the item sizes). Set
 * {@code -Dbench.emulator-capacity=on|off} to force it; the default {@code auto} shows it when the
 * embedded DynamoDB Local is the backend and its responses carried consumed capacity.
 */
final class EmulatorCapacity {
    private static final String DYNAMODB_LOCAL = "com.poolhub.metering.local.EmbeddedDynamoDb";

    private EmulatorCapacity() {
    }

    static boolean shown(DynamoDbMeter meter) {
        String mode = System.getProperty("bench.emulator-capacity", "auto");
        if (mode.equals("on") || mode.equals("off")) {
            return mode.equals("on");
        }
        return meter.backendReported() && !LocalAws.useLocalStack() && present(DYNAMODB_LOCAL);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, EmulatorCapacity.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    /** " | DynamoDB Local WCU w RCU r, by operation model/reported ..." divided by {@code per}, or "" when not shown. */
    static String column(DynamoDbMeter meter, double per) {
        if (!shown(meter)) {
            return "";
        }
        StringBuilder text = new StringBuilder(String.format(" | DynamoDB Local WCU %.2f RCU %.2f; by operation (model/DynamoDB Local):",
                meter.reportedWriteUnits() / per, meter.reportedReadUnits() / per));
        meter.byOperation().forEach((operation, units) -> {
            if (units.modelWrite() + units.reportedWrite() > 0) {
                text.append(String.format(" %s WCU %.2f/%.2f", operation, units.modelWrite() / per, units.reportedWrite() / per));
            }
            if (units.modelRead() + units.reportedRead() > 0) {
                text.append(String.format(" %s RCU %.2f/%.2f", operation, units.modelRead() / per, units.reportedRead() / per));
            }
        });
        if (meter.unmodelledRequests() > 0) {
            text.append(" unmodelled requests=").append(meter.unmodelledRequests());
        }
        return text.toString();
    }
}
