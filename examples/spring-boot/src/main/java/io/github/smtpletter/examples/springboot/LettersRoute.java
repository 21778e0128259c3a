package io.github.smtpletter.examples.springboot;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.github.smtpletter.json.LetterJacksonModule;
import io.github.smtpletter.letter.Letter;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.springframework.stereotype.Component;

/**
 * {@code POST /letters}: JSON letters in, {@code letter-smtp:}, JSON results out. Camel's Jackson 2 data format with
 * the component's {@link LetterJacksonModule} does all the JSON; the SMTP settings come from {@code application.yml}.
 */
@Component
public class LettersRoute extends RouteBuilder {

    @Override
    public void configure() {
        // one letter or an array of letters in, always a list of results out
        JacksonDataFormat letters = new JacksonDataFormat(Letter.class);
        letters.useList();
        letters.enableFeature(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        letters.setModuleClassNames(LetterJacksonModule.class.getName());
        JacksonDataFormat json = new JacksonDataFormat();
        json.setModuleClassNames(LetterJacksonModule.class.getName());

        // not JSON, or not a valid letter: 400 with the reason (it names the field), nothing sent
        onException(JsonProcessingException.class)
                .handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
                .setBody(e -> Map.of("error", e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)
                        .getMessage()))
                .marshal(json);

        from("platform-http:/letters?httpMethodRestrict=POST")
                .routeId("letters-over-http")
                .unmarshal(letters)
                .to("letter-smtp:{{smtp.host}}:{{smtp.port}}")
                .marshal(json)
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }
}
