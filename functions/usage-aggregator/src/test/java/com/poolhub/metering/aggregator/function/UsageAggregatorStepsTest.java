package com.poolhub.metering.aggregator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.poolhub.metering.usage.Granularity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageAggregatorStepsTest {
    @Test
    void steps_plainSchedule_runsEveryStepInOrder() {
        ScheduledEvent event = EventLoader.loadScheduledEvent("../../events/usage-aggregator-schedule.json");
        assertEquals(List.of(Granularity.MINUTE, Granularity.HOUR, Granularity.DAY), UsageAggregatorFunction.steps(event));
    }

    @Test
    void steps_scheduleNamingAStep_runsOnlyThatStep() {
        ScheduledEvent event = EventLoader.loadScheduledEvent("../../events/usage-aggregator-schedule-days.json");
        assertEquals(List.of(Granularity.DAY), UsageAggregatorFunction.steps(event));
    }

    @Test
    void steps_unknownOrMonthStep_failsNamingTheField() {
        for (String step : List.of("MONTH", "WEEK")) {
            ScheduledEvent event = new ScheduledEvent().withDetail(Map.of("rollup", step));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsageAggregatorFunction.steps(event));
            assertEquals(true, e.getMessage().contains("detail.rollup"));
        }
    }
}
