package io.github.smtpletter.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that talks to the real Postfix of {@link PostfixExtension} (JUnit tag {@code "postfix"}).
 * Such a class is named {@code *IT}: maven-failsafe-plugin runs it in {@code verify}, surefire leaves it alone.
 * Use it together with the extension itself:
 *
 * <pre>{@code
 * @PostfixTest
 * class MyPostfixIT {
 *     @RegisterExtension
 *     static final PostfixExtension POSTFIX = new PostfixExtension();
 *
 *     @Test
 *     void sends() {
 *         ... POSTFIX.host(), POSTFIX.authPort(), POSTFIX.username(), POSTFIX.password() ...
 *         assertTrue(POSTFIX.awaitDeliveredContaining(messageId, Duration.ofSeconds(30)).isPresent());
 *     }
 * }
 * }</pre>
 *
 * Without {@code -Dpostfix.tests=true} the extension skips the class (see {@link PostfixExtension#HOW_TO_RUN}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Tag(PostfixExtension.TAG)
public @interface PostfixTest {
}
