package io.github.smtpletter.quarkus.it;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.github.smtpletter.json.LetterJacksonModule;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;

/**
 * The routes under test: letters in on {@code direct:send}, one {@code SendResults} out; the same with JSON on
 * {@code direct:json}. Host and port go into the URI; every other option is a component option from
 * {@code application.properties}.
 */
@ApplicationScoped
public class LettersRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:send").routeId("send")
                .to("letter-smtp:{{smtp.host}}:{{smtp.port}}");

        JacksonDataFormat letters = new JacksonDataFormat(Letter.class);
        letters.useList();
        letters.enableFeature(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        letters.setModuleClassNames(LetterJacksonModule.class.getName());
        JacksonDataFormat results = new JacksonDataFormat();
        results.setModuleClassNames(LetterJacksonModule.class.getName());

        from("direct:json").routeId("json")
                .unmarshal(letters)
                .to("direct:send")
                .marshal(results)
                .convertBodyTo(String.class);
    }
}
