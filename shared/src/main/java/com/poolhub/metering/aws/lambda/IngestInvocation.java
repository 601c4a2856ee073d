package com.poolhub.metering.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.metrics.EmfMetrics;

/**
 * One Kinesis invocation of an ingest function: runs the batch through its pipeline, emits the
 * batch's counts as EMF metrics under the function's name, and answers with the batch item failures.
 */
public final class IngestInvocation {
    private IngestInvocation() {
    }

    public static StreamsEventResponse handle(IngestPipeline<?, ?> pipeline, KinesisEvent event, String function) {
        IngestReport report = pipeline.process(KinesisBatch.records(event));
        EmfMetrics.forFunction(function)
                .count("Records", report.records())
                .count("EventsApplied", report.eventsApplied())
                .count("Duplicates", report.duplicates())
                .count("Rejected", report.rejected())
                .count("FailedRecords", report.failedSequenceNumbers().size())
                .flush();
        return KinesisBatch.response(report);
    }
}
