package io.github.smtpletter.letter;

/**
 * The importance (priority) of a letter. {@link #HIGH} and {@link #LOW} are written as
 * {@code X-Priority} and {@code Importance} headers; {@link #NORMAL} writes neither.
 */
public enum Importance {
    /** Low importance: {@code X-Priority: 5 (Lowest)}, {@code Importance: Low}. */
    LOW,
    /** Normal importance, the default: no priority headers. */
    NORMAL,
    /** High importance: {@code X-Priority: 1 (Highest)}, {@code Importance: High}. */
    HIGH
}
