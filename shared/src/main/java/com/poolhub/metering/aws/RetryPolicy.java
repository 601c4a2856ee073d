package com.poolhub.metering.aws;

import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryUtils;

/**
 * The one retry policy of the project's own retry loops (batch leftovers, event publishing, quota
 * write races): which failures are worth another attempt, and exponential backoff with jitter in its upper half
 * between attempts. A failure that can never succeed (validation, access denied, a missing table or
 * bus) is not retried: the loop stops at once and hands the cause on.
 */
public final class RetryPolicy {
    /** Leftovers of batch calls and failed service calls: 25 ms base, 2 s cap. */
    public static final RetryPolicy SERVICE_CALLS = new RetryPolicy(25, 2_000);
    /** Races between writers of the same items (conditional checks, transaction conflicts): 2 ms base, 40 ms cap. */
    public static final RetryPolicy WRITE_RACES = new RetryPolicy(2, 40);

    private final long baseMillis;
    private final long capMillis;

    private RetryPolicy(long baseMillis, long capMillis) {
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
    }

    /**
     * Whether another attempt may succeed, by the SDK's own classification: a call that got no answer
     * (connection, timeout), throttling (DynamoDB's throughput and request limits included), a 5xx or a
     * clock skew; never a 4xx such as ValidationException,
     * AccessDeniedException or ResourceNotFoundException.
     */
    public static boolean retryable(RuntimeException failure) {
        if (failure instanceof AwsServiceException service) {
            return service.statusCode() >= 500 || RetryUtils.isRetryableException(service) || RetryUtils.isThrottlingException(service)
                    || RetryUtils.isClockSkewException(service)
                    || (service.awsErrorDetails() != null && retryableCode(service.awsErrorDetails().errorCode()));
        }
        return failure instanceof SdkClientException;
    }

    /** Whether a per-entry error code of a batch answer (PutEvents, say) may succeed on another attempt. */
    public static boolean retryableCode(String errorCode) {
        return errorCode != null && (errorCode.contains("Throttl") || errorCode.contains("InternalFailure")
                || errorCode.equals("ProvisionedThroughputExceededException") || errorCode.equals("RequestLimitExceeded")
                || errorCode.contains("ServiceUnavailable") || errorCode.contains("InternalError"));
    }

    /** The longest pause before retry number {@code attempt} (1 for the first retry). */
    long capFor(int attempt) {
        return Math.min(capMillis, baseMillis << Math.min(attempt, 16));
    }

    /** Sleeps before retry number {@code attempt}: a random time in [cap/2, cap]. */
    public void sleep(int attempt) {
        long cap = capFor(attempt);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during backoff", e);
        }
    }
}
