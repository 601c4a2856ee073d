package com.poolhub.metering.event;

/**
 * Text that can be encoded as UTF-8: an unpaired surrogate (which a JSON {@code \ud83d} escape or a
 * cut through a surrogate pair leaves behind) becomes U+FFFD. DynamoDB refuses strings that are not
 * valid UTF-8, so untrusted text goes through here before it is stored with a reject.
 */
public final class WellFormedText {
    private WellFormedText() {
    }

    public static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
