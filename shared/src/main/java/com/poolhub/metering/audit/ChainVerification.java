package com.poolhub.metering.audit;

import java.time.LocalDate;
import java.util.List;

/**
 * The outcome of verifying one day's chain: how many records it holds, the day's first and last
 * hash (null for an empty day), whether the link into the day from the records before it could be
 * checked (not when those have expired), and every problem found. The day is intact when there are none.
 */
public record ChainVerification(LocalDate day, int records, String firstHash, String lastHash,
                                boolean predecessorChecked, List<ChainProblem> problems) {
    public ChainVerification {
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
