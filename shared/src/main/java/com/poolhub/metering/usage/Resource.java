package com.poolhub.metering.usage;

import java.util.Arrays;
import java.util.Optional;

/** What was used, as CONTRACT §1.1 lists it. */
public enum Resource {
    CPU(true), GPU(true), TPU(true), NPU(true), LPU(true), FPGA(true), WEBGPU(true), WASM(true),
    MEMORY(false), STORAGE(false), NETWORK(false), INFERENCE(false);

    private final boolean compute;

    Resource(boolean compute) {
        this.compute = compute;
    }

    /** Compute resources are metered in compute seconds or flop. */
    public boolean isCompute() {
        return compute;
    }

    public static Optional<Resource> parse(String name) {
        return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
    }
}
