package com.poolhub.metering.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiKeyTest {

    @Test
    void generate_makesDistinctKeysThatParseBackToTheirId() {
        ApiKey first = ApiKey.generate();
        ApiKey second = ApiKey.generate();

        assertNotEquals(first.value(), second.value());
        assertEquals(first.id(), ApiKey.parse(first.value()).orElseThrow().id());
        assertTrue(first.value().startsWith("phk_" + first.id() + "_"));
    }

    @Test
    void fromBearer_acceptsTheBearerSchemeOnly() {
        ApiKey key = ApiKey.generate();

        assertEquals(key.id(), ApiKey.fromBearer("Bearer " + key.value()).orElseThrow().id());
        assertEquals(key.id(), ApiKey.fromBearer("bearer " + key.value()).orElseThrow().id());
        assertTrue(ApiKey.fromBearer(key.value()).isEmpty());
        assertTrue(ApiKey.fromBearer("Basic " + key.value()).isEmpty());
        assertTrue(ApiKey.fromBearer("Bearer phk_xyz_short").isEmpty());
        assertTrue(ApiKey.fromBearer(null).isEmpty());
    }

    @Test
    void hash_isTheSha256OfTheWholeKey_andMatchesOnlyThatKey() {
        ApiKey key = ApiKey.parse("phk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").orElseThrow();

        assertEquals("e0b7c3f7c2ab04d05ae7a3b6ff8dbf5ec0e8e3e8ce8f0e5c52b6e29ff1b9b01c".length(), key.hash().length());
        assertEquals(ApiKey.sha256(key.value()), key.hash());
        assertTrue(key.matches(key.hash()));
        assertFalse(key.matches(ApiKey.generate().hash()));
        assertFalse(key.matches(null));
    }

    @Test
    void toString_neverShowsTheSecret() {
        ApiKey key = ApiKey.generate();

        assertFalse(key.toString().contains(key.value()));
    }
}
