package io.github.smtpletter.camel.ledger;

import java.util.List;

import io.github.smtpletter.letter.MailAddress;
import io.github.smtpletter.smtp.SendResult;
import io.github.smtpletter.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger contract on {@link InMemoryLetterLedger}, and its bound. */
class InMemoryLetterLedgerTest extends LetterLedgerContract {

    private final InMemoryLetterLedger ledger = new InMemoryLetterLedger();

    @Override
    LetterLedger ledger() {
        return ledger;
    }

    @Test
    void theOldestResultsAreForgottenFirstAndClaimsNever() {
        InMemoryLetterLedger small = new InMemoryLetterLedger(3);
        LedgerClaim held = small.claim("held", null, LONG, UnknownPolicy.REPORT);
        for (String k : List.of("a", "b")) {
            small.complete(small.claim(k, null, LONG, UnknownPolicy.REPORT), sent(k));
        }
        assertEquals(3, small.size());
        small.complete(small.claim("c", null, LONG, UnknownPolicy.REPORT), sent("c")); // forgets a
        assertEquals(3, small.size());
        assertTrue(small.result("a").isEmpty());
        assertTrue(small.result("b").isPresent());
        assertEquals(LedgerClaim.State.IN_PROGRESS, small.claim("held", null, LONG, UnknownPolicy.REPORT).state());
        small.claim("d", null, LONG, UnknownPolicy.REPORT); // forgets b
        small.claim("e", null, LONG, UnknownPolicy.REPORT); // forgets c
        LedgerException full = assertThrows(LedgerException.class,
                () -> small.claim("f", null, LONG, UnknownPolicy.REPORT));
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        small.release(held);
        assertEquals(LedgerClaim.State.NEW, small.claim("f", null, LONG, UnknownPolicy.REPORT).state());
    }

    private static SendResult sent(String id) {
        return SendResult.sent(id, List.of(MailAddress.of("a@example.test")), List.of(), SmtpReply.of(250, "ok"));
    }
}
