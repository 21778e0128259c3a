package io.github.smtpletter.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.github.smtpletter.camel.LetterSmtpComponent;
import io.github.smtpletter.camel.LetterSmtpConfiguration;
import io.github.smtpletter.json.LetterJacksonModule;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;

/**
 * JSON letters in ({@code direct:letters}, fed by {@link LettersResource}), {@code letter-smtp:} sends them, one
 * result per letter out as JSON. Host and port go into the URI ({@link SmtpTarget}); every other option is a
 * component option in {@code application.properties}.
 */
@ApplicationScoped
public class LettersRoute extends RouteBuilder {

    @Inject
    SmtpTarget smtp;

    @Override
    public void configure() {
        if (smtp.isEmbedded()) {
            // the embedded server's demo account; a real server's account comes from application.properties
            LetterSmtpConfiguration options = getContext().getComponent("letter-smtp", LetterSmtpComponent.class)
                    .getConfiguration();
            options.setAuthMechanism("PLAIN");
            options.setUsername(SmtpTarget.DEMO_USER);
            options.setPassword(SmtpTarget.DEMO_PASSWORD);
            options.setAllowPlaintextAuth(true); // loopback without TLS
        }

        JacksonDataFormat letters = new JacksonDataFormat(Letter.class);
        letters.useList(); // always a List<Letter> ...
        letters.enableFeature(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY); // ... also from one letter object
        letters.setModuleClassNames(LetterJacksonModule.class.getName());
        JacksonDataFormat results = new JacksonDataFormat();
        results.setModuleClassNames(LetterJacksonModule.class.getName());

        from("direct:letters").routeId("letters")
                .unmarshal(letters)
                .to("letter-smtp:" + smtp.host() + ":" + smtp.port())
                .marshal(results)
                .convertBodyTo(String.class);
    }
}
