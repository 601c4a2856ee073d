package com.poolhub.metering.logging;

import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * The threshold from the environment: {@code AWS_LAMBDA_LOG_LEVEL} (set by Lambda from the template's
 * {@code LoggingConfig.ApplicationLogLevel}), else {@code LOG_LEVEL}, else INFO. FATAL counts as ERROR;
 * an unknown name falls back to INFO rather than silencing the function.
 */
final class LogLevelSetting {
    private LogLevelSetting() {
    }

    static Level fromEnvironment(Map<String, String> env) {
        String value = env.getOrDefault("AWS_LAMBDA_LOG_LEVEL", env.get("LOG_LEVEL"));
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        String name = value.trim().toUpperCase(Locale.ROOT);
        if (name.equals("FATAL")) {
            return Level.ERROR;
        }
        for (Level level : Level.values()) {
            if (level.name().equals(name)) {
                return level;
            }
        }
        return Level.INFO;
    }
}
