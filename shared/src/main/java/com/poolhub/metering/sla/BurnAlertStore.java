package com.poolhub.metering.sla;

import java.util.List;

/**
 * Where burn-rate alert episodes are kept while they fire or their last announcement is pending; an
 * episode whose resolution has been announced is gone. Every change is conditional on the episode, so
 * concurrent collections cannot open an episode twice or close another one.
 */
public interface BurnAlertStore {
    /** Every stored episode. */
    List<BurnRateAlert> stored();

    /** The stored episodes of one miner. */
    List<BurnRateAlert> storedFor(String minerId);

    /** Stores a new episode unless its slot holds one; answers whether it was stored. */
    boolean open(BurnRateAlert alert);

    /** Moves a firing episode to its resolved state (pending); answers whether it was still firing. */
    boolean resolve(BurnRateAlert resolved);

    /** The episode's current state was announced: a firing one stays, not pending; a resolved one goes. */
    void announced(BurnRateAlert alert);
}
