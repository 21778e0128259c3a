package io.github.smtpletter.smtp.auth;

import java.text.Normalizer;

import io.github.smtpletter.letter.Checks;

/**
 * SASLprep (RFC 4013), the stringprep (RFC 3454) profile for user names and passwords, as SCRAM (RFC 5802 section
 * 2.2, "Normalize") applies it.
 *
 * <ol>
 * <li>Mapping: non-ASCII space characters (table C.1.2) become U+0020; characters "commonly mapped to nothing"
 * (table B.1) are removed. U+200B, in both tables, becomes a space.</li>
 * <li>Normalization: Unicode NFKC through {@link Normalizer}.</li>
 * <li>Prohibited output: tables C.1.2 (non-ASCII spaces), C.2.1 and C.2.2 (control characters), C.3 (private use),
 * C.4 (non-characters), C.5 (surrogate code points), C.6, C.7, C.8 (display and deprecated characters) and C.9
 * (tagging characters).</li>
 * <li>Bidirectional text (RFC 3454 section 6): a string with right-to-left characters may not contain left-to-right
 * ones and must start and end with a right-to-left character. The directions come from the JDK's Unicode data
 * ({@link Character#getDirectionality(int)}).</li>
 * </ol>
 * Unassigned code points (table A.1) are allowed, as for a "query" (RFC 5802 section 2.2 asks SCRAM clients to
 * treat user names and passwords as queries): the server decides. NFKC uses the JDK's Unicode version, which is
 * newer than the Unicode 3.2 of RFC 3454; for assigned characters the two agree.
 */
final class SaslPrep {

    private SaslPrep() {
    }

    /**
     * @param  field what the value is ("username", "password"), named in errors
     * @param  value the string to prepare
     * @param  show  whether the value may be quoted in an error (never for a password)
     * @return       the prepared string
     * @throws IllegalArgumentException when the value contains a prohibited character or breaks the bidi rule
     */
    static String prepare(String field, String value, boolean show) {
        StringBuilder mapped = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            if (isNonAsciiSpace(cp)) {
                mapped.append(' ');
            } else if (!isMappedToNothing(cp)) {
                mapped.appendCodePoint(cp);
            }
        });
        String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        int[] cps = normalized.codePoints().toArray();
        boolean randAl = false;
        boolean l = false;
        for (int cp : cps) {
            if (isProhibited(cp)) {
                throw new IllegalArgumentException(field + " " + shown(value, show) + "contains a character that "
                                                   + "SASLprep (RFC 4013) prohibits: U+"
                                                   + (show ? String.format("%04X", cp) : "(hidden)"));
            }
            randAl |= isRandAl(cp);
            l |= Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (randAl && (l || !isRandAl(cps[0]) || !isRandAl(cps[cps.length - 1]))) {
            throw new IllegalArgumentException(field + " " + shown(value, show) + "breaks the bidirectional rule of "
                                               + "SASLprep (RFC 3454 section 6): right-to-left text must not mix with "
                                               + "left-to-right text and must start and end with a right-to-left "
                                               + "character");
        }
        return normalized;
    }

    private static String shown(String value, boolean show) {
        return show ? Checks.quote(value) + " " : "";
    }

    private static boolean isRandAl(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /** Table C.1.2. */
    static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F
               || cp == 0x3000;
    }

    /** Table B.1. */
    static boolean isMappedToNothing(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
               || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
    }

    /** Tables C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9. */
    static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)
               // C.2.1 and C.2.2
               || cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E
               || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2063)
               || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFC)
               || (cp >= 0x1D173 && cp <= 0x1D17A)
               // C.3
               || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD)
               || (cp >= 0x100000 && cp <= 0x10FFFD)
               // C.4
               || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
               // C.5
               || (cp >= 0xD800 && cp <= 0xDFFF)
               // C.6
               || (cp >= 0xFFF9 && cp <= 0xFFFD)
               // C.7
               || (cp >= 0x2FF0 && cp <= 0x2FFB)
               // C.8
               || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
               // C.9
               || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
    }
}
