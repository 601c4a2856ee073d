package com.poolhub.metering.localrun;

/**
 * A CloudFormation intrinsic function as written in a template's short form: {@code !Ref X} is
 * {@code Intrinsic("Ref", "X")}, {@code !GetAtt A.Arn} is {@code Intrinsic("GetAtt", "A.Arn")},
 * {@code !If [c, a, b]} is {@code Intrinsic("If", List.of(c, a, b))}.
 */
public record Intrinsic(String function, Object argument) {

    /** The logical id a {@code Ref} or {@code GetAtt} points at ({@code A} for {@code A.Arn} or {@code A.Alias}). */
    public String target() {
        String text = argument instanceof java.util.List<?> list ? String.valueOf(list.get(0)) : String.valueOf(argument);
        int dot = text.indexOf('.');
        return dot < 0 ? text : text.substring(0, dot);
    }
}
