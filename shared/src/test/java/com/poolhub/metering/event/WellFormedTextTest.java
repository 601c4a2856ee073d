package com.poolhub.metering.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.CharBuffer;
import org.junit.jupiter.api.Test;

/** Untrusted text kept with a reject is always valid UTF-8, and well-formed text is untouched. */
class WellFormedTextTest {
    @Test
    void unpairedSurrogates_becomeTheReplacementCharacter_pairsStay() throws CharacterCodingException {
        String text = "ok \ud83d\ude00 lone \ud83d end \ude00";
        String kept = WellFormedText.of(text);
        assertEquals("ok \ud83d\ude00 lone \ufffd end \ufffd", kept);
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(kept)); // throws if not encodable
        String plain = "plain text \u00e9\ud83d\ude00";
        assertSame(plain, WellFormedText.of(plain));
    }

    @Test
    void abbreviating_neverCutsASurrogatePair() throws CharacterCodingException {
        String emojis = "x".repeat(60) + "\ud83d\ude00".repeat(10);
        String short1 = CloudEventReader.abbreviate(emojis);
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(short1));
        assertEquals("x".repeat(60) + "...", short1);
        String shifted = CloudEventReader.abbreviate("y" + emojis);
        assertEquals("y" + "x".repeat(60) + "...", shifted);
        assertEquals("\ufffd", new Rejection("X", "\ud83d").message());
    }
}
