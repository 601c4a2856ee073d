package com.poolhub.metering.usage;

import com.poolhub.metering.event.CloudEvent;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.DataFields;
import com.poolhub.metering.event.InvalidEventException;
import com.poolhub.metering.ingest.EventDecoder;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/** Validates {@code compute.usage.v1} events exactly as CONTRACT §1.1 defines them. */
public final class UsageEventDecoder implements EventDecoder<UsageEvent> {
    public static final String TYPE = "compute.usage.v1";
    private static final Set<String> ACCELERATORS = Set.of("CUDA", "ROCM", "METAL", "WEBGPU");

    @Override
    public UsageEvent decode(CloudEvent event) {
        if (!TYPE.equals(event.type())) {
            throw new InvalidEventException("UNSUPPORTED_TYPE",
                    "type \"" + CloudEventReader.abbreviate(event.type()) + "\" does not belong on usage-events; expected " + TYPE);
        }
        DataFields data = new DataFields(event.data());
        Resource resource = data.requiredEnum("resource", Resource::parse, Resource.values());
        UsageUnit unit = data.requiredEnum("unit", UsageUnit::parse,
                java.util.Arrays.stream(UsageUnit.values()).map(UsageUnit::wire).toArray());
        if (!unit.appliesTo(resource)) {
            throw new InvalidEventException("INVALID_UNIT", "unit " + unit.wire() + " does not apply to resource " + resource);
        }
        BigDecimal quantity = data.requiredDecimal("quantity", 18, 9);
        if (quantity.signum() < 0) {
            throw new InvalidEventException("INVALID_QUANTITY", "quantity must be ≥ 0, was " + quantity.toPlainString());
        }
        String accelerator = data.optionalText("accelerator", 16).orElse(null);
        if (accelerator != null && !ACCELERATORS.contains(accelerator)) {
            throw new InvalidEventException("INVALID_ACCELERATOR", "accelerator must be one of " + ACCELERATORS);
        }
        String operation = data.optionalText("operation", 64).orElse(null);
        String minerId = data.optionalMatching("minerId", CloudEventReader.SUBJECT).orElse(null);
        Map<String, String> metadata = data.optionalStringMap("metadata", 20);
        return new UsageEvent(event.fingerprint(), event.subject(), resource, unit, quantity, event.time(),
                accelerator, operation, minerId, metadata);
    }
}
